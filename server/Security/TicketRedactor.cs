using System.Text.RegularExpressions;

namespace WebConsole.Security;

/// <summary>Blanks tickets out of text: the <c>access_token</c> query parameter and bearer credentials.</summary>
internal static partial class TicketRedactor
{
    public const string Redacted = "[redacted]";

    public static bool MayHoldTicket(string? text) =>
        text is not null && (text.Contains("access_token", StringComparison.OrdinalIgnoreCase)
            || text.Contains("Bearer", StringComparison.OrdinalIgnoreCase)
            || text.Contains("ticket=", StringComparison.OrdinalIgnoreCase));

    public static string Redact(string text) => MayHoldTicket(text) ? Secret().Replace(text, "$1" + Redacted) : text;

    [GeneratedRegex(@"((?:access_token|ticket)=|Bearer\s+)[^&\s""'<>#]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Secret();
}
