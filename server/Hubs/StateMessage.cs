using MessagePack;

namespace WebConsole.Hubs;

/// <summary>The source's state: "waiting", "invalid" or "ready", with a reason for people.</summary>
[MessagePackObject]
public sealed record StateMessage(
    [property: Key("state")] string State,
    [property: Key("reason")] string? Reason);
