using MessagePack;

namespace WebConsole.Hubs;

/// <summary>
/// A frame update; the viewer acknowledges <see cref="FrameId"/> once it is drawn.
/// <see cref="Quality"/> is the lowest JPEG quality in it (0: no JPEG); <see cref="Refresh"/> marks a
/// lossless repaint of areas sent as JPEG earlier (nothing on screen changed).
/// </summary>
[MessagePackObject]
public sealed record UpdateMessage(
    [property: Key("frameId")] long FrameId,
    [property: Key("rects")] RectMessage[] Rects,
    [property: Key("quality")] int Quality = 0,
    [property: Key("refresh")] bool Refresh = false);
