namespace WebConsole.Security;

/// <summary>The body of <c>POST /api/consoles/{id}/tickets</c>.</summary>
/// <param name="Permission"><c>view</c> or <c>control</c>.</param>
/// <param name="TtlSeconds">Seconds the ticket stays valid for connecting; default <c>Security:TicketLifetimeSeconds</c>.</param>
/// <param name="SingleUse">True (the default): one connection only; a reconnect needs a new ticket.</param>
public sealed record TicketRequest(string? Permission, int? TtlSeconds, bool? SingleUse);
