using SkiaSharp;
using WebConsole.Region;

namespace WebConsole.Encoding;

/// <summary>
/// JPEG through SkiaSharp's bundled libjpeg-turbo: the fallback when the system TurboJPEG library
/// is missing. Slower, because Skia converts each row to RGB before the codec sees it.
/// </summary>
/// <remarks>Not thread-safe; one per thread.</remarks>
public sealed unsafe class SkiaJpegEncoder : IJpegEncoder
{
    private readonly SKPixmap _pixmap = new();
    private readonly ScratchWStream _output = new();
    private bool _disposed;
    private readonly SKJpegEncoderOptions _options;

    public SkiaJpegEncoder(int quality = FrameEncoder.DefaultJpegQuality)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        Quality = quality;
        _options = new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore);
    }

    /// <inheritdoc />
    public int Quality { get; }

    /// <inheritdoc />
    public ReadOnlySpan<byte> Encode(ReadOnlySpan<byte> frame, int stride, PixelRect rect)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int offset = FrameBounds.Check(frame.Length, stride, rect);
        _output.Reset();
        bool encoded;
        fixed (byte* pixels = frame)
        {
            // Bgra8888 + Opaque is XRGB8888 in memory with the X byte disregarded.
            _pixmap.Reset(new SKImageInfo(rect.Width, rect.Height, SKColorType.Bgra8888, SKAlphaType.Opaque), (IntPtr)(pixels + offset), stride);
            encoded = _pixmap.Encode(_output, _options);
            // Drop the pointer: the frame is only pinned inside this block.
            _pixmap.Reset();
        }
        if (!encoded)
        {
            throw new InvalidOperationException("SkiaSharp failed to encode a JPEG.");
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
