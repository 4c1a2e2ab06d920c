using System.Text.RegularExpressions;

namespace WebConsole.Security;

/// <summary>
/// Blanks secrets out of text: the <c>access_token</c> and <c>ticket</c> parameters, bearer
/// credentials, and every query value of a hub or ticket request (whatever a client named it,
/// a value there may be a credential).
/// </summary>
internal static partial class TicketRedactor
{
    public const string Redacted = "[redacted]";

    /// <summary>True for text that names a path whose query values are all redacted.</summary>
    public static bool NamesSensitivePath(string? text) =>
        text is not null && (text.Contains("/hubs/", StringComparison.OrdinalIgnoreCase)
            || text.Contains("/tickets", StringComparison.OrdinalIgnoreCase));

    public static bool MayHoldTicket(string? text) =>
        text is not null && (text.Contains("access_token", StringComparison.OrdinalIgnoreCase)
            || text.Contains("Bearer", StringComparison.OrdinalIgnoreCase)
            || text.Contains("ticket=", StringComparison.OrdinalIgnoreCase)
            || NamesSensitivePath(text));

    public static string Redact(string text)
    {
        if (!MayHoldTicket(text))
        {
            return text;
        }
        text = Secret().Replace(text, "$1" + Redacted);
        return NamesSensitivePath(text) ? SensitiveUrl().Replace(text, static m => RedactQuery(m.Value)) : text;
    }

    /// <summary>
    /// A query string on its own (<c>?a=1&amp;b=2</c>, as ASP.NET Core logs it apart from the path)
    /// with every value blanked, for entries about a sensitive path.
    /// </summary>
    public static string RedactQuery(string text)
    {
        int question = text.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? text : string.Concat(text.AsSpan(0, question), QueryValue().Replace(text[question..], "$1" + Redacted));
    }

    [GeneratedRegex(@"((?:access_token|ticket)=|Bearer\s+)[^&\s""'<>#]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Secret();

    /// <summary>A hub or ticket path with its query.</summary>
    [GeneratedRegex(@"(?:/hubs/|/tickets)[^\s?""'<>#]*\?[^\s""'<>#]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SensitiveUrl();

    /// <summary>One parameter's value inside a query: after <c>?</c>, <c>&amp;</c> or <c>;</c> and its name.</summary>
    [GeneratedRegex(@"([?&;][^=&;\s""'<>#]*=)[^&;\s""'<>#]+", RegexOptions.CultureInvariant)]
    private static partial Regex QueryValue();
}
