using System.Text;
using Microsoft.Extensions.Options;

namespace WebConsole.Security;

/// <summary>
/// Puts the security headers on every response: a Content-Security-Policy for the pages (no inline
/// script or style, connections to this server only) whose <c>frame-ancestors</c> lists 'self' and
/// <c>Security:FrameAncestors</c>; nosniff; no referrer, so a URL never leaks to another site.
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next, IOptions<SecurityOptions> options)
{
    /// <summary>The sample pages stand for a dashboard on another site: they may frame console servers anywhere.</summary>
    public const string SamplesPath = "/samples";

    private readonly string _policy = BuildPolicy(options.Value);
    private readonly string _samplesPolicy = BuildPolicy(options.Value) + "; frame-src http: https:";

    public Task InvokeAsync(HttpContext context)
    {
        IHeaderDictionary headers = context.Response.Headers;
        headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(SamplesPath, StringComparison.OrdinalIgnoreCase)
            ? _samplesPolicy
            : _policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        return next(context);
    }

    public static string BuildPolicy(SecurityOptions options)
    {
        var ancestors = new StringBuilder("'self'");
        foreach (string source in options.FrameAncestors)
        {
            if (OriginPolicy.TryNormalize(source, out string? origin, out _))
            {
                ancestors.Append(' ').Append(origin);
            }
        }
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
            + "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + $"frame-ancestors {ancestors}";
    }
}
