using System.Collections;

namespace WebConsole.Security;

/// <summary>A log entry's structured values and message with every ticket blanked out.</summary>
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
    /// every value too.
    /// </summary>
    public static RedactedState From(IReadOnlyList<KeyValuePair<string, object?>> values, string message, bool sensitivePath)
    {
        var copy = new KeyValuePair<string, object?>[values.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            var (key, value) = values[i];
            object? safe = value;
            if (value is not null && value is not (int or long or double or bool or Enum))
            {
                string? text = value.ToString();
                if (TicketRedactor.MayHoldTicket(text))
                {
                    safe = text = TicketRedactor.Redact(text!);
                }
                if (sensitivePath && text is not null && text.Contains('?', StringComparison.Ordinal))
                {
                    safe = TicketRedactor.RedactQuery(text);
                }
            }
            copy[i] = new(key, safe);
        }
        return new RedactedState(copy, TicketRedactor.Redact(message));
    }

    public KeyValuePair<string, object?> this[int index] => _values[index];

    public int Count => _values.Length;

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => _message;

    public static string Format(RedactedState state, Exception? exception) => state._message;
}
