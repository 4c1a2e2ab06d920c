namespace WebConsole.Security;

/// <summary>A validated ticket: one console, one permission, until <see cref="ExpiresAt"/>.</summary>
internal sealed record Ticket(string ConsoleId, AccessLevel Permission, string? Id, bool SingleUse, DateTimeOffset ExpiresAt);
