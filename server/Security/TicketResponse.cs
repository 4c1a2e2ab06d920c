namespace WebConsole.Security;

/// <summary>A minted ticket and the console URL that carries it in its fragment.</summary>
public sealed record TicketResponse(string Ticket, DateTimeOffset ExpiresAt, string Url);
