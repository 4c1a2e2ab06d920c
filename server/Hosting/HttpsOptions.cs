using System.ComponentModel.DataAnnotations;

namespace WebConsole.Hosting;

/// <summary>
/// The <c>Https</c> section: what the server does about plain HTTP once it has a TLS endpoint
/// (<c>Kestrel:Endpoints:&lt;name&gt;:Url=https://...</c> with <c>Certificate:Path</c> and
/// <c>Certificate:KeyPath</c>, docs/deployment.md). Unset, both are on when the server has an
/// https endpoint on an address other than loopback, and off otherwise.
/// </summary>
public sealed record HttpsOptions
{
    public const string Section = "Https";

    /// <summary>Answer plain HTTP requests with a permanent redirect (308) to the https endpoint.</summary>
    public bool? RedirectHttp { get; init; }

    /// <summary>Send <c>Strict-Transport-Security</c> on https responses (never for localhost, 127.0.0.1 or ::1).</summary>
    public bool? Hsts { get; init; }

    /// <summary>HSTS max-age in days.</summary>
    [Range(1, 3650)]
    public int HstsMaxAgeDays { get; init; } = 365;

    /// <summary>HSTS for every subdomain of the console's host name too.</summary>
    public bool HstsIncludeSubDomains { get; init; }
}
