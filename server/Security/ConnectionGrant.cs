using WebConsole.Sources.Clipboard;

namespace WebConsole.Security;

/// <summary>What one hub connection may do, kept in its Items from the moment it connects.</summary>
internal sealed class ConnectionGrant(string? consoleId, long incarnation, AccessLevel permission, TokenBucket input, TokenBucket joins, TokenBucket calls,
    ClipboardDirections clipboard = ClipboardDirections.None, TokenBucket? clipboardBytes = null, TokenBucket? clipboardTexts = null)
{
    public const string ItemKey = "webconsole.access";

    /// <summary>The one console this connection may join; null for anonymous local access (any console).</summary>
    public string? ConsoleId { get; } = consoleId;

    /// <summary>The incarnation of <see cref="ConsoleId"/> the ticket was minted for (see ConsoleEntry).</summary>
    public long Incarnation { get; } = incarnation;

    public AccessLevel Permission { get; } = permission;

    /// <summary>Input events (Security:InputEventsPerSecond).</summary>
    public TokenBucket Input { get; } = input;

    /// <summary>Join calls (Security:JoinsPerSecond).</summary>
    public TokenBucket Joins { get; } = joins;

    /// <summary>Every other call (Security:HubCallsPerSecond).</summary>
    public TokenBucket Calls { get; } = calls;

    /// <summary>
    /// Which ways the clipboard may carry text for this connection as far as its access goes (the
    /// ticket's claim; none for view access); the console and its source narrow it further.
    /// </summary>
    public ClipboardDirections Clipboard { get; } = permission == AccessLevel.Control ? clipboard : ClipboardDirections.None;

    /// <summary>Clipboard bytes towards the guest (Clipboard:BytesPerSecond); null: none allowed.</summary>
    public TokenBucket? ClipboardBytes { get; } = clipboardBytes;

    /// <summary>Clipboard texts set in the guest (Clipboard:TextsPerSecond); null: none allowed.</summary>
    public TokenBucket? ClipboardTexts { get; } = clipboardTexts;

    /// <summary>Input events dropped over the rate cap since the last log line.</summary>
    public long DroppedSinceLog { get; set; }

    public long LastLogTimestamp { get; set; }
}
