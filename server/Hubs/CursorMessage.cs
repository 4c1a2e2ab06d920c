using MessagePack;

namespace WebConsole.Hubs;

/// <summary>
/// The guest's cursor plane: sent on join and whenever its image, position or visibility changes.
/// <see cref="Png"/> holds the image (straight alpha) when it differs from the last one the viewer
/// got (or on join) and is empty otherwise; <see cref="Serial"/> names the image.
/// </summary>
[MessagePackObject]
public sealed record CursorMessage(
    [property: Key("serial")] uint Serial,
    [property: Key("visible")] bool Visible,
    [property: Key("x")] int X,
    [property: Key("y")] int Y,
    [property: Key("hotX")] int HotX,
    [property: Key("hotY")] int HotY,
    [property: Key("width")] int Width,
    [property: Key("height")] int Height,
    [property: Key("png")] byte[] Png);
