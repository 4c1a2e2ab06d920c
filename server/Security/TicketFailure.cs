namespace WebConsole.Security;

/// <summary>Why access was refused; <see cref="TicketFailures.Describe"/> gives the text the page shows.</summary>
internal enum TicketFailure
{
    None,
    Missing,
    Malformed,
    BadSignature,
    Expired,
    NotYetValid,
    TooLong,
    BadClaims,
    Reused,
    WrongConsole,

    /// <summary>The ticket's console was removed; the console of that id now is another one.</summary>
    EarlierConsole,
    TooManyInFlight,
    LoopbackOnly,
}
