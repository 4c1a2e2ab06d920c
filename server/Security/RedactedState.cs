using System.Collections;

namespace WebConsole.Security;

/// <summary>A log entry's (or scope's) structured values and message with every secret blanked out.</summary>
internal sealed class RedactedState : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _values;
    private readonly string _message;

    private RedactedState(KeyValuePair<string, object?>[] values, string message)
    {
        _values = values;
        _message = message;
    }

    /// <summary>
    /// A copy with secrets blanked. <paramref name="sensitivePath"/>: the entry is about a hub or
    /// ticket request, so a query string logged apart from its path (<c>QueryString=?a=1</c>) loses
    /// every value too. A value named like a credential (<c>Authorization</c>, <c>Cookie</c>, ...) is
    /// blanked whatever it holds.
    /// </summary>
    public static RedactedState From(IReadOnlyList<KeyValuePair<string, object?>> values, string message, bool sensitivePath, SecretRedactor redactor)
    {
        var copy = new KeyValuePair<string, object?>[values.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            var (key, value) = values[i];
            object? safe = value;
            if (value is not null && TicketRedactor.IsCredentialName(key))
            {
                safe = TicketRedactor.Redacted;
            }
            else if (value is not null && !IsPlain(value))
            {
                string? text = value.ToString();
                if (redactor.MayHoldSecret(text))
                {
                    safe = text = redactor.Redact(text!);
                }
                if (sensitivePath && text is not null && text.Contains('?', StringComparison.Ordinal))
                {
                    safe = TicketRedactor.RedactQuery(text);
                }
            }
            copy[i] = new(key, safe);
        }
        return new RedactedState(copy, redactor.Redact(message));
    }

    /// <summary>True for values that cannot spell a secret (numbers, flags, enums).</summary>
    public static bool IsPlain(object value) => value is int or long or double or bool or Enum or short or byte or uint or ulong or float or decimal or TimeSpan or DateTime or DateTimeOffset;

    public KeyValuePair<string, object?> this[int index] => _values[index];

    public int Count => _values.Length;

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => _message;

    public static string Format(RedactedState state, Exception? exception) => state._message;
}
