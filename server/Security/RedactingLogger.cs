namespace WebConsole.Security;

/// <summary>
/// Wraps every logger of the application (framework and WebConsole's own): an entry or scope that
/// could carry a secret (a ticket, an API key, in the message, a structured value or the exception)
/// is passed on with the secret blanked out. A <see cref="ClientRefusedException"/> is not logged
/// at all: <see cref="ClientRefusals"/> counted it, and SignalR's dispatcher would write every one
/// as a failure with its stack.
/// </summary>
internal sealed class RedactingLogger(ILogger inner, SecretRedactor redactor) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
    {
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            return HoldsSecret(values) ? inner.BeginScope(RedactedState.From(values, state.ToString() ?? "", false, redactor)) : inner.BeginScope(state);
        }
        string? text = state.ToString();
        return redactor.MayHoldSecret(text) ? inner.BeginScope(redactor.Redact(text!)) : inner.BeginScope(state);
    }

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (exception is ClientRefusedException || !inner.IsEnabled(logLevel))
        {
            return;
        }
        string message = formatter(state, exception);
        var values = state as IReadOnlyList<KeyValuePair<string, object?>>;
        bool risky = redactor.MayHoldSecret(message) || (values is not null && HoldsSecret(values));
        Exception? safeException = exception is not null && redactor.MayHoldSecret(exception.ToString())
            ? RedactedException.From(exception, redactor)
            : exception;
        if (!risky && ReferenceEquals(safeException, exception))
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
            return;
        }
        RedactedState redacted = RedactedState.From(
            values ?? [new("{OriginalFormat}", message)], message, TicketRedactor.NamesSensitivePath(message), redactor);
        inner.Log(logLevel, eventId, redacted, safeException, RedactedState.Format);
    }

    private bool HoldsSecret(IReadOnlyList<KeyValuePair<string, object?>> values)
    {
        for (int i = 0; i < values.Count; i++)
        {
            var (key, value) = values[i];
            if (value is null || RedactedState.IsPlain(value))
            {
                continue;
            }
            if (TicketRedactor.IsCredentialName(key) || redactor.MayHoldSecret(value as string ?? value.ToString()))
            {
                return true;
            }
        }
        return false;
    }
}
