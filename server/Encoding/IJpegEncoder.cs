using WebConsole.Region;

namespace WebConsole.Encoding;

/// <summary>Compresses rectangles of XRGB8888 frames to baseline JPEG, 4:2:0. One per thread.</summary>
public interface IJpegEncoder : IDisposable
{
    /// <summary>JPEG quality, 1 to 100, for the next <see cref="Encode"/> (a console's quality adapts per part).</summary>
    int Quality { get; set; }

    /// <summary>
    /// Encodes <paramref name="rect"/> of a frame with <paramref name="stride"/> bytes per row.
    /// The result lives in the encoder's own buffer and is valid until its next call.
    /// </summary>
    ReadOnlySpan<byte> Encode(ReadOnlySpan<byte> frame, int stride, PixelRect rect);
}
