using MessagePack;

namespace WebConsole.Hubs;

/// <summary>What a viewer learns when it joins a console; a full-frame update follows.</summary>
[MessagePackObject]
public sealed record JoinResult(
    [property: Key("width")] int Width,
    [property: Key("height")] int Height,
    [property: Key("state")] string State,
    [property: Key("reason")] string? Reason);
