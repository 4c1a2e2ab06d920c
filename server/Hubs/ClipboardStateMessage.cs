using MessagePack;

namespace WebConsole.Hubs;

/// <summary>
/// What this viewer's clipboard can do now (method <c>ClipboardState</c>, on join and on every
/// change): <see cref="ToGuest"/> (paste into the guest), <see cref="FromGuest"/> (read what the
/// guest copies), <see cref="Reason"/> why either is missing (for the panel), and the largest text
/// in UTF-8 bytes.
/// </summary>
[MessagePackObject]
public sealed record ClipboardStateMessage(
    [property: Key("toGuest")] bool ToGuest,
    [property: Key("fromGuest")] bool FromGuest,
    [property: Key("reason")] string? Reason,
    [property: Key("maxBytes")] int MaxBytes);
