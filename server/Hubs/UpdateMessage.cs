using MessagePack;

namespace WebConsole.Hubs;

/// <summary>A frame update; the viewer acknowledges <see cref="FrameId"/> once it is drawn.</summary>
[MessagePackObject]
public sealed record UpdateMessage(
    [property: Key("frameId")] long FrameId,
    [property: Key("rects")] RectMessage[] Rects);
