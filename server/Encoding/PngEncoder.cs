using SkiaSharp;
using WebConsole.Region;

namespace WebConsole.Encoding;

/// <summary>PNG (lossless RGB, no alpha) through SkiaSharp, tuned for speed on text and UI content.</summary>
/// <remarks>
/// The rectangle is read in place: a pixmap over the frame with row bytes = stride. Not
/// thread-safe; one per thread.
/// </remarks>
public sealed class PngEncoder : IDisposable
{
    /// <summary>
    /// Only the Sub filter: on text and UI content it finds runs as well as trying all five
    /// filters, at a fraction of the cost (bench: <c>dotnet run -c Release --project bench -- encode</c>).
    /// </summary>
    public const SKPngEncoderFilterFlags Filters = SKPngEncoderFilterFlags.Sub;

    /// <summary>
    /// zlib level 1 (fastest): these rectangles are mostly long runs, which every level finds;
    /// higher levels cost several times the time for a few percent of size.
    /// </summary>
    public const int ZLibLevel = 1;

    private readonly SkiaRectWriter _writer = new();
    private readonly SKPngEncoderOptions _options;

    public PngEncoder()
        : this(Filters, ZLibLevel)
    {
    }

    /// <summary>Other settings, for measuring them.</summary>
    public PngEncoder(SKPngEncoderFilterFlags filters, int zlibLevel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(zlibLevel, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(zlibLevel, 9);
        _options = new SKPngEncoderOptions(filters, zlibLevel);
    }

    /// <summary>
    /// Encodes <paramref name="rect"/> of a frame with <paramref name="stride"/> bytes per row. The
    /// result lives in the encoder's own buffer and is valid until its next call.
    /// </summary>
    public ReadOnlySpan<byte> Encode(ReadOnlySpan<byte> frame, int stride, PixelRect rect) =>
        _writer.Encode(frame, stride, rect, _options, static (pixmap, stream, options) => pixmap.Encode(stream, options), "PNG");

    public void Dispose() => _writer.Dispose();
}
