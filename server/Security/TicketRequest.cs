namespace WebConsole.Security;

/// <summary>The body of <c>POST /api/consoles/{id}/tickets</c>.</summary>
/// <param name="Permission"><c>view</c> or <c>control</c>.</param>
/// <param name="TtlSeconds">Seconds the ticket stays valid for connecting; default <c>Security:TicketLifetimeSeconds</c>.</param>
/// <param name="SingleUse">True (the default): one connection only; a reconnect needs a new ticket.</param>
/// <param name="Clipboard"><c>none</c>, <c>to-guest</c>, <c>from-guest</c> or <c>both</c>: narrows what the console's clipboard allows the holder; absent: no narrowing (view tickets never have a clipboard).</param>
public sealed record TicketRequest(string? Permission, int? TtlSeconds, bool? SingleUse, string? Clipboard = null);
