using System.ComponentModel.DataAnnotations;

namespace WebConsole.Hosting;

/// <summary>The <c>Streaming</c> section: how frames are captured and sent.</summary>
public sealed record StreamingOptions
{
    /// <summary>
    /// The top JPEG quality for photo-like rectangles: what a still or rarely changing area gets.
    /// Areas that keep changing, and viewers that lag, get less, down to <see cref="MinJpegQuality"/>.
    /// </summary>
    [Range(1, 100)]
    public int JpegQuality { get; init; } = 80;

    /// <summary>The lowest JPEG quality full-screen motion or a lagging viewer may get (at most <see cref="JpegQuality"/>).</summary>
    [Range(1, 100)]
    public int MinJpegQuality { get; init; } = 30;

    /// <summary>
    /// How long an area sent as JPEG must stay unchanged before it is sent again losslessly (PNG),
    /// so a still screen ends up exact; 0 turns the refresh off.
    /// </summary>
    [Range(0, 60_000)]
    public int RefreshAfterMs { get; init; } = 150;

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
