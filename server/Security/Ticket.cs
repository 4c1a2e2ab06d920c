using WebConsole.Sources.Clipboard;

namespace WebConsole.Security;

/// <summary>
/// A validated ticket: one console (of one <see cref="Incarnation"/>, see ConsoleEntry), one permission, until
/// <see cref="ExpiresAt"/>; <see cref="Clipboard"/> the ways its clipboard may carry text for the holder
/// (the <c>clipboard</c> claim; without it, whatever the console allows).
/// </summary>
internal sealed record Ticket(string ConsoleId, AccessLevel Permission, string? Id, bool SingleUse, DateTimeOffset ExpiresAt, long Incarnation = 0,
    ClipboardDirections Clipboard = ClipboardDirections.Both);
