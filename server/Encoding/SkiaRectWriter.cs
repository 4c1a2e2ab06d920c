using SkiaSharp;
using WebConsole.Region;

namespace WebConsole.Encoding;

/// <summary>
/// What the Skia encoders share: a pixmap laid over the rectangle in place (row bytes = stride,
/// Bgra8888 + Opaque, which is XRGB8888 with the X byte disregarded) and a reusable output
/// stream. Not thread-safe; one per encoder.
/// </summary>
internal sealed unsafe class SkiaRectWriter : IDisposable
{
    private readonly SKPixmap _pixmap = new();
    private readonly ScratchWStream _output = new();
    private bool _disposed;

    /// <summary>Encodes the rectangle with <paramref name="encode"/>; the bytes stay valid until the next call.</summary>
    public ReadOnlySpan<byte> Encode<TOptions>(ReadOnlySpan<byte> frame, int stride, PixelRect rect, TOptions options,
        Func<SKPixmap, SKWStream, TOptions, bool> encode, string format)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int offset = FrameBounds.Check(frame.Length, stride, rect);
        _output.Reset();
        bool encoded;
        fixed (byte* pixels = frame)
        {
            _pixmap.Reset(new SKImageInfo(rect.Width, rect.Height, SKColorType.Bgra8888, SKAlphaType.Opaque), (IntPtr)(pixels + offset), stride);
            encoded = encode(_pixmap, _output, options);
            // Drop the pointer: the frame is only pinned inside this block.
            _pixmap.Reset();
        }
        if (!encoded)
        {
            throw new InvalidOperationException($"SkiaSharp failed to encode a {format}.");
        }
        return _output.Written;
    }

    public void Dispose()
    {
        _disposed = true;
        _pixmap.Dispose();
        _output.Dispose();
    }
}
