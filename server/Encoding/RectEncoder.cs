using System.Buffers;
using WebConsole.Region;

namespace WebConsole.Encoding;

/// <summary>
/// Classifies and encodes one rectangle at a time: the single-threaded core of
/// <see cref="FrameEncoder"/>, one per thread. Encoders are created on first use, so a thread that
/// only ever sees text never sets up a JPEG encoder.
/// </summary>
public sealed class RectEncoder : IDisposable
{
    private const int SolidLength = 3;

    private readonly int _jpegQuality;
    private IJpegEncoder? _jpeg;
    private PngEncoder? _png;

    public RectEncoder(int jpegQuality = FrameEncoder.DefaultJpegQuality)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(jpegQuality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jpegQuality, 100);
        _jpegQuality = jpegQuality;
    }

    /// <summary>
    /// Encodes <paramref name="rect"/> of a frame with <paramref name="stride"/> bytes per row into
    /// a buffer rented from <see cref="ArrayPool{T}.Shared"/>, which the caller owns.
    /// </summary>
    public EncodedRect Encode(ReadOnlySpan<byte> frame, int stride, PixelRect rect)
    {
        RectKind kind = RectClassifier.Classify(frame, stride, rect, out uint rgb);
        switch (kind)
        {
            case RectKind.Solid:
                byte[] solid = ArrayPool<byte>.Shared.Rent(SolidLength);
                solid[0] = (byte)(rgb >> 16);
                solid[1] = (byte)(rgb >> 8);
                solid[2] = (byte)rgb;
                return new EncodedRect(rect, kind, solid, SolidLength);
            case RectKind.Png:
                _png ??= new PngEncoder();
                return Copy(rect, kind, _png.Encode(frame, stride, rect));
            default:
                _jpeg ??= JpegEncoderFactory.Create(_jpegQuality);
                return Copy(rect, kind, _jpeg.Encode(frame, stride, rect));
        }
    }

    public void Dispose()
    {
        _jpeg?.Dispose();
        _png?.Dispose();
        _jpeg = null;
        _png = null;
    }

    private static EncodedRect Copy(PixelRect rect, RectKind kind, ReadOnlySpan<byte> encoded) =>
        new(rect, kind, PooledBuffers.RentCopy(encoded), encoded.Length);
}
