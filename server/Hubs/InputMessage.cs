using MessagePack;

namespace WebConsole.Hubs;

/// <summary>
/// One input event from a viewer. <see cref="T"/> is the kind: 1 key (<see cref="Code"/> an evdev
/// keycode, <see cref="Value"/> 1 press / 0 release; auto-repeat is another press), 2 pointer
/// (<see cref="X"/>, <see cref="Y"/> frame pixels, <see cref="Value"/> the button mask: left 1,
/// middle 2, right 4, back 8, forward 16), 3 wheel (<see cref="X"/>, <see cref="Y"/> in 1/120 of a
/// notch, positive right and down).
/// </summary>
[MessagePackObject]
public sealed record InputMessage(
    [property: Key("t")] byte T,
    [property: Key("code")] int Code,
    [property: Key("value")] int Value,
    [property: Key("x")] int X,
    [property: Key("y")] int Y);
