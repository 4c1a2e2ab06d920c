using System.ComponentModel.DataAnnotations;

namespace WebConsole.Hosting;

/// <summary>The <c>Streaming</c> section: how frames are captured and sent.</summary>
public sealed record StreamingOptions
{
    /// <summary>JPEG quality for photo-like rectangles.</summary>
    [Range(1, 100)]
    public int JpegQuality { get; init; } = 80;

    /// <summary>Updates a viewer may have unacknowledged; past this its damage merges instead.</summary>
    [Range(1, 16)]
    public int MaxUpdatesInFlight { get; init; } = 2;

    /// <summary>Upper bound on captures per second per console.</summary>
    [Range(1, 240)]
    public int MaxFramesPerSecond { get; init; } = 60;

    /// <summary>
    /// Largest frame (width x height) a console may show; a source that claims more is reported
    /// invalid before anything is allocated. Default 8192 x 8192.
    /// </summary>
    [Range(64L * 64, 16384L * 16384)]
    public long MaxPixels { get; init; } = 8192L * 8192;

    /// <summary>
    /// Frame pixels all consoles together may hold buffers for (a console holds them only while it is
    /// watched or looked at); a mode that would exceed it is refused until others free theirs.
    /// Default four consoles of 8192 x 8192. At least <see cref="MaxPixels"/>.
    /// </summary>
    [Range(64L * 64, 1L << 40)]
    public long MaxTotalPixels { get; init; } = 4 * 8192L * 8192;
}
