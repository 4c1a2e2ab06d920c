namespace WebConsole.Security;

/// <summary>The text a refused client sees for each <see cref="TicketFailure"/>.</summary>
internal static class TicketFailures
{
    public static string Describe(TicketFailure failure) => failure switch
    {
        TicketFailure.Missing => "ticket required",
        TicketFailure.Malformed => "ticket malformed",
        TicketFailure.BadSignature => "ticket signature invalid",
        TicketFailure.Expired => "ticket expired",
        TicketFailure.NotYetValid => "ticket not yet valid",
        TicketFailure.TooLong => "ticket valid for longer than Security:MaxTicketLifetimeSeconds allows",
        TicketFailure.BadClaims => "ticket claims invalid (sub: console id, perm: view or control)",
        TicketFailure.Reused => "ticket already used",
        TicketFailure.WrongConsole => "ticket is for another console",
        TicketFailure.EarlierConsole => "ticket is for an earlier console of this id, since removed",
        TicketFailure.TooManyInFlight => "too many single-use tickets in flight",
        TicketFailure.LoopbackOnly => "this server has no Security:ApiKeys or Security:TicketSigningKey and accepts loopback connections only",
        _ => "access denied",
    };

    /// <summary>The text a refused client receives: "access denied: ticket expired".</summary>
    public static string Denied(TicketFailure failure) => "access denied: " + Describe(failure);
}
