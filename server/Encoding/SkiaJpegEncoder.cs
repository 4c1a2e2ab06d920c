using SkiaSharp;
using WebConsole.Region;

namespace WebConsole.Encoding;

/// <summary>
/// JPEG through SkiaSharp's bundled libjpeg-turbo: the fallback when the system TurboJPEG library
/// is missing. Slower, because Skia converts each row to RGB before the codec sees it.
/// </summary>
/// <remarks>Not thread-safe; one per thread.</remarks>
public sealed class SkiaJpegEncoder : IJpegEncoder
{
    private readonly SkiaRectWriter _writer = new();
    private readonly SKJpegEncoderOptions _options;

    public SkiaJpegEncoder(int quality = FrameEncoder.DefaultJpegQuality)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        Quality = quality;
        _options = new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore);
    }

    /// <inheritdoc />
    public int Quality
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 100);
            field = value;
        }
    }

    /// <inheritdoc />
    public ReadOnlySpan<byte> Encode(ReadOnlySpan<byte> frame, int stride, PixelRect rect) =>
        _writer.Encode(frame, stride, rect, _options, static (pixmap, stream, options) => pixmap.Encode(stream, options), "JPEG");

    public void Dispose() => _writer.Dispose();
}
