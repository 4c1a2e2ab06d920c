using MessagePack;

namespace WebConsole.Hubs;

/// <summary>
/// Text the guest copied (method <c>Clipboard</c>), sent to each viewer allowed to read the guest's
/// clipboard. <see cref="Initial"/> marks the text the guest held when the viewer joined: the page
/// shows it in its panel but does not write it to the browser's clipboard.
/// </summary>
[MessagePackObject]
public sealed record ClipboardMessage(
    [property: Key("text")] string Text,
    [property: Key("initial")] bool Initial = false);
