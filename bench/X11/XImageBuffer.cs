using System.Runtime.InteropServices;

namespace WebConsole.Bench.X11;

/// <summary>
/// A 24-bit ZPixmap XImage over memory the bench owns (B, G, R, X per pixel, as SyntheticFrame),
/// filled once or per frame in place and sent with <see cref="XPainter.Put"/>.
/// </summary>
internal sealed unsafe class XImageBuffer : IDisposable
{
    private nint _data;
    private nint _image;

    public XImageBuffer(nint display, nint visual, int width, int height)
    {
        Width = width;
        Height = height;
        _data = (nint)NativeMemory.AllocZeroed((nuint)(width * height * 4));
        _image = XLib.CreateImage(display, visual, 24, XLib.ZPixmap, 0, _data, (uint)width, (uint)height, 32, width * 4);
        if (_image == 0)
        {
            NativeMemory.Free((void*)_data);
            throw new InvalidOperationException($"XCreateImage {width}x{height} failed");
        }
    }

    public int Width { get; }

    public int Height { get; }

    public nint Handle => _image;

    public Span<byte> Pixels => new((void*)_data, Width * Height * 4);

    public void Dispose()
    {
        if (_image != 0)
        {
            // XFree, not XDestroyImage: the pixels are ours, freed below.
            _ = XLib.Free(_image);
            _image = 0;
            NativeMemory.Free((void*)_data);
            _data = 0;
        }
    }
}
