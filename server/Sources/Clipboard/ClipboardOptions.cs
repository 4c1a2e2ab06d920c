namespace WebConsole.Sources.Clipboard;

/// <summary>
/// The <c>Clipboard</c> section: which ways text may cross by default (a console narrows it with
/// <c>Consoles:&lt;id&gt;:Clipboard</c>, a ticket with its <c>clipboard</c> claim), how large a text
/// may be and how often a viewer may send one. Validated at start-up (<see cref="ClipboardOptionsValidator"/>).
/// </summary>
public sealed record ClipboardOptions
{
    /// <summary>The largest default of <see cref="MaxBytes"/>: 1 MiB of UTF-8.</summary>
    public const int DefaultMaxBytes = 1024 * 1024;

    /// <summary>The upper bound of <see cref="MaxBytes"/> (16 MiB).</summary>
    public const int MaxMaxBytes = 16 * 1024 * 1024;

    /// <summary><c>none</c>, <c>to-guest</c>, <c>from-guest</c> or <c>both</c> (the default) for every console that does not say.</summary>
    public string Directions { get; init; } = "both";

    /// <summary>
    /// The largest text either way, in UTF-8 bytes (default 1 MiB, 1 to 16 MiB). A source drops a
    /// larger guest text; the server refuses a larger one from a viewer before buffering it.
    /// </summary>
    public int MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>Bytes per second one viewer may send towards the guest (default 4 MiB, bursts up to twice <see cref="MaxBytes"/>).</summary>
    public int BytesPerSecond { get; init; } = 4 * 1024 * 1024;

    /// <summary>Texts per second one viewer may set in the guest (default 4, bursts of twice that).</summary>
    public int TextsPerSecond { get; init; } = 4;

    /// <summary>
    /// X consoles: which selection is the guest's clipboard: <c>clipboard</c> (the default; what
    /// Ctrl+C / Ctrl+V use), <c>primary</c> (select and middle-click) or <c>both</c> (watch both, set both).
    /// </summary>
    public string Selection { get; init; } = "clipboard";
}
