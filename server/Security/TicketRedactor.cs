using System.Text.RegularExpressions;

namespace WebConsole.Security;

/// <summary>
/// Blanks tickets out of text, whatever carries them: anything shaped like a JWT (<c>eyJ</c> then
/// base64url, dots or percent escapes: the server's tickets and a dashboard's), the values of
/// credential parameters and headers (<c>access_token=</c>, <c>ticket=</c>, <c>Bearer</c>,
/// <c>Authorization:</c>, <c>Cookie:</c>, ...), and every query value of a hub or ticket request
/// (whatever a client named it, a value there may be a credential). API keys are
/// <see cref="SecretRedactor"/>'s part, which needs the configured keys.
/// </summary>
internal static partial class TicketRedactor
{
    public const string Redacted = "[redacted]";

    /// <summary>The start of every JWT: base64url of <c>{"</c>.</summary>
    public const string JwtStart = "eyJ";

    /// <summary>True for text that names a path whose query values are all redacted.</summary>
    public static bool NamesSensitivePath(string? text) =>
        text is not null && (text.Contains("/hubs/", StringComparison.OrdinalIgnoreCase)
            || text.Contains("/tickets", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The fast pre-check: false for text that certainly holds no ticket (no JWT start, no credential
    /// name, no sensitive path), so the regular expressions run only on the rest. Each test is a
    /// vectorized substring search.
    /// </summary>
    public static bool MayHoldTicket(string? text) =>
        text is not null && (text.Contains(JwtStart, StringComparison.Ordinal)
            || text.Contains("token", StringComparison.OrdinalIgnoreCase)
            || text.Contains("ticket", StringComparison.OrdinalIgnoreCase)
            || text.Contains("Bearer", StringComparison.OrdinalIgnoreCase)
            || text.Contains("Basic ", StringComparison.OrdinalIgnoreCase)
            || text.Contains("key", StringComparison.OrdinalIgnoreCase)
            || text.Contains("Authorization", StringComparison.OrdinalIgnoreCase)
            || text.Contains("Cookie", StringComparison.OrdinalIgnoreCase)
            || NamesSensitivePath(text));

    public static string Redact(string text)
    {
        if (!MayHoldTicket(text))
        {
            return text;
        }
        if (text.Contains(JwtStart, StringComparison.Ordinal))
        {
            text = Jwt().Replace(text, Redacted);
        }
        text = Header().Replace(text, "$1" + Redacted);
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

    /// <summary>True for a structured value's name whose value is a credential whatever it looks like.</summary>
    public static bool IsCredentialName(string name) =>
        name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Cookie", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase)
        || name.Equals(ApiKeyVerifier.HeaderName, StringComparison.OrdinalIgnoreCase)
        || name.Equals("access_token", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A JWT or any piece of one from its header on: <c>eyJ</c> then base64 (url or not), dots and
    /// percent escapes (a URL-encoded ticket, <c>%2E</c> for the dots).
    /// </summary>
    [GeneratedRegex(@"eyJ(?:[A-Za-z0-9_\-+/=.]|%[0-9A-Fa-f]{2})*", RegexOptions.CultureInvariant)]
    private static partial Regex Jwt();

    /// <summary>A credential header as request logging writes it (<c>Authorization: Basic ...</c>): the rest of the line.</summary>
    [GeneratedRegex(@"((?:Proxy-)?Authorization\s*:\s*|(?:Set-)?Cookie\s*:\s*|X-Api-Key\s*:\s*)[^\r\n]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Header();

    [GeneratedRegex(@"((?:access_token|token|ticket|api_key|apikey|api-key|key)=|(?:Bearer|Basic)\s+)[^&\s""'<>#;,]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Secret();

    /// <summary>A hub or ticket path with its query.</summary>
    [GeneratedRegex(@"(?:/hubs/|/tickets)[^\s?""'<>#]*\?[^\s""'<>#]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SensitiveUrl();

    /// <summary>One parameter's value inside a query: after <c>?</c>, <c>&amp;</c> or <c>;</c> and its name.</summary>
    [GeneratedRegex(@"([?&;][^=&;\s""'<>#]*=)[^&;\s""'<>#]+", RegexOptions.CultureInvariant)]
    private static partial Regex QueryValue();
}
