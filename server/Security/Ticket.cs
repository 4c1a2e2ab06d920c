namespace WebConsole.Security;

/// <summary>A validated ticket: one console (of one <see cref="Incarnation"/>, see ConsoleEntry), one permission, until <see cref="ExpiresAt"/>.</summary>
internal sealed record Ticket(string ConsoleId, AccessLevel Permission, string? Id, bool SingleUse, DateTimeOffset ExpiresAt, long Incarnation = 0);
