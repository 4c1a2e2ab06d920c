using MessagePack;

namespace WebConsole.Hubs;

/// <summary>One encoded rectangle: kind 0 solid (data R,G,B), 1 PNG, 2 JPEG.</summary>
[MessagePackObject]
public sealed record RectMessage(
    [property: Key("x")] int X,
    [property: Key("y")] int Y,
    [property: Key("w")] int W,
    [property: Key("h")] int H,
    [property: Key("kind")] byte Kind,
    [property: Key("data")] ArraySegment<byte> Data);
