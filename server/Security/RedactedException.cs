namespace WebConsole.Security;

/// <summary>
/// Stands in for a logged exception whose text held a secret: the same type name, message, inner
/// exceptions and stack, as <see cref="Exception.ToString"/> wrote them, with the secrets blanked.
/// </summary>
internal sealed class RedactedException(string message, string text) : Exception(message)
{
    public override string? StackTrace => null;

    public override string ToString() => text;

    public static Exception From(Exception exception, SecretRedactor redactor) =>
        new RedactedException(redactor.Redact(exception.Message), redactor.Redact(exception.ToString()));
}
