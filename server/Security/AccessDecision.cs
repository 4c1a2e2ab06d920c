namespace WebConsole.Security;

/// <summary>Whether a request may use the hub; with the ticket it presented (none for anonymous loopback access).</summary>
internal readonly record struct AccessDecision(bool Allowed, Ticket? Ticket, TicketFailure Failure)
{
    public static AccessDecision Anonymous => new(true, null, TicketFailure.None);

    public static AccessDecision Deny(TicketFailure failure) => new(false, null, failure);
}
