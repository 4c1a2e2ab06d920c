using System.ComponentModel.DataAnnotations;

namespace WebConsole.Sources.Clipboard;

/// <summary>The <c>Clipboard</c> section: limits on guest clipboard text, for every source that has one.</summary>
public sealed record ClipboardOptions
{
    /// <summary>1 MiB: the default of <see cref="MaxBytes"/>.</summary>
    public const int DefaultMaxBytes = 1024 * 1024;

    /// <summary>
    /// Largest clipboard text, in UTF-8 bytes, in either direction; a larger text from the guest is
    /// refused (its size logged, never its content) and a larger one from the browser is not sent.
    /// </summary>
    [Range(1, 64 * 1024 * 1024)]
    public int MaxBytes { get; init; } = DefaultMaxBytes;
}
