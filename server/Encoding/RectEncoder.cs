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
        return Encode(frame, stride, new ClassifiedRect(rect, kind, rgb));
    }

    /// <summary>
    /// Encodes <paramref name="part"/> as the kind it carries, without classifying it again: a part
    /// merged from lossless tiles stays lossless even if, as a whole, it has more than
    /// <see cref="RectClassifier.MaxPngColours"/> colours. A solid part's pixels are not read.
    /// </summary>
    internal EncodedRect Encode(ReadOnlySpan<byte> frame, int stride, in ClassifiedRect part) => Encode(frame, stride, part, default);

    /// <summary>Like <see cref="Encode(ReadOnlySpan{byte}, int, in ClassifiedRect)"/>, with a JPEG quality per part or lossless instead of JPEG.</summary>
    internal EncodedRect Encode(ReadOnlySpan<byte> frame, int stride, in ClassifiedRect part, in EncodeSettings settings)
    {
        PixelRect rect = part.Rect;
        RectKind kind = part.Kind == RectKind.Jpeg && settings.Lossless ? RectKind.Png : part.Kind;
        switch (kind)
        {
            case RectKind.Solid:
                byte[] solid = ArrayPool<byte>.Shared.Rent(SolidLength);
                solid[0] = (byte)(part.Rgb >> 16);
                solid[1] = (byte)(part.Rgb >> 8);
                solid[2] = (byte)part.Rgb;
                return new EncodedRect(rect, RectKind.Solid, solid, SolidLength);
            case RectKind.Png:
                _png ??= new PngEncoder();
                return Copy(rect, RectKind.Png, _png.Encode(frame, stride, rect));
            default:
                _jpeg ??= JpegEncoderFactory.Create(_jpegQuality);
                _jpeg.Quality = settings.Quality?.For(rect) ?? _jpegQuality;
                return Copy(rect, RectKind.Jpeg, _jpeg.Encode(frame, stride, rect));
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
