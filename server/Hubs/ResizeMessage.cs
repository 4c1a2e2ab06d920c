using MessagePack;

namespace WebConsole.Hubs;

/// <summary>The display changed size; a full-frame update follows.</summary>
[MessagePackObject]
public sealed record ResizeMessage(
    [property: Key("width")] int Width,
    [property: Key("height")] int Height);
