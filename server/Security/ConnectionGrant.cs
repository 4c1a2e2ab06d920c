namespace WebConsole.Security;

/// <summary>What one hub connection may do, kept in its Items from the moment it connects.</summary>
internal sealed class ConnectionGrant(string? consoleId, AccessLevel permission, TokenBucket input)
{
    public const string ItemKey = "webconsole.access";

    /// <summary>The one console this connection may join; null for anonymous local access (any console).</summary>
    public string? ConsoleId { get; } = consoleId;

    public AccessLevel Permission { get; } = permission;

    public TokenBucket Input { get; } = input;

    /// <summary>Input events dropped over the rate cap since the last log line.</summary>
    public long DroppedSinceLog { get; set; }

    public long LastLogTimestamp { get; set; }
}
