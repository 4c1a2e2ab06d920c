namespace WebConsole.Security;

/// <summary>The outcome of checking a ticket: the ticket, or why it was refused.</summary>
internal readonly record struct TicketValidation(Ticket? Ticket, TicketFailure Failure)
{
    public bool IsValid => Ticket is not null;

    public static TicketValidation Fail(TicketFailure failure) => new(null, failure);
}
