using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace WebConsole.Security;

/// <summary>
/// Which browser origins may open the hub: the server's own and <c>Security:AllowedOrigins</c>.
/// A request without an Origin header (a non-browser client) passes; it still needs a ticket.
/// </summary>
internal sealed class OriginPolicy
{
    private readonly FrozenSet<string> _allowed;

    public OriginPolicy(IOptions<SecurityOptions> options)
    {
        var allowed = new HashSet<string>(StringComparer.Ordinal);
        foreach (string origin in options.Value.AllowedOrigins)
        {
            if (TryNormalize(origin, out string? normal, out _))
            {
                allowed.Add(normal);
            }
        }
        _allowed = allowed.ToFrozenSet(StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> Allowed => _allowed;

    /// <summary>True when the request has no Origin, or its Origin is the server's own or an allowed one.</summary>
    public bool IsAllowed(HttpRequest request, out string? origin)
    {
        origin = request.Headers[HeaderNames.Origin];
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }
        if (!TryNormalize(origin, out string? normal, out _))
        {
            return false; // "null" (sandboxed frames, file:) or garbage
        }
        return _allowed.Contains(normal) || IsSameOrigin(request, normal);
    }

    private static bool IsSameOrigin(HttpRequest request, string origin) =>
        TryNormalize($"{request.Scheme}://{request.Host.Value}", out string? own, out _) && own == origin;

    /// <summary>An origin as <c>scheme://host[:port]</c>, lower case, default port left out.</summary>
    public static bool TryNormalize(string? text, [NotNullWhen(true)] out string? origin, [NotNullWhen(false)] out string? error)
    {
        origin = null;
        if (string.IsNullOrWhiteSpace(text) || text.Contains('*', StringComparison.Ordinal))
        {
            error = $"'{text}' is not an origin: write scheme://host[:port], never '*'";
            return false;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.AbsolutePath != "/"
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo)
            || text.Contains(' ', StringComparison.Ordinal) || text.Contains(';', StringComparison.Ordinal) || text.Contains(',', StringComparison.Ordinal))
        {
            error = $"'{text}' is not an origin: write http(s)://host[:port] with no path, query or fragment";
            return false;
        }
        origin = uri.IsDefaultPort ? $"{uri.Scheme}://{uri.IdnHost}" : $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}";
        origin = origin.ToLowerInvariant();
        error = null;
        return true;
    }
}
