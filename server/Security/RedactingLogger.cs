namespace WebConsole.Security;

/// <summary>
/// Wraps a framework logger (hosting, routing, Kestrel, SignalR) whose messages can hold a request's
/// query string: an entry that could carry a ticket is passed on with the ticket blanked out.
/// </summary>
internal sealed class RedactingLogger(ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }
        string message = formatter(state, exception);
        bool risky = TicketRedactor.MayHoldTicket(message);
        bool sensitivePath = TicketRedactor.NamesSensitivePath(message);
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            foreach (var (_, value) in values)
            {
                if (value is string text && TicketRedactor.MayHoldTicket(text))
                {
                    risky = true;
                    sensitivePath |= TicketRedactor.NamesSensitivePath(text);
                }
            }
        }
        if (!risky)
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
            return;
        }
        RedactedState redacted = RedactedState.From(
            state as IReadOnlyList<KeyValuePair<string, object?>> ?? [new("{OriginalFormat}", message)], message, sensitivePath);
        inner.Log(logLevel, eventId, redacted, exception, RedactedState.Format);
    }
}
