namespace WebConsole.Security;

/// <summary>
/// The <c>Security</c> section. Set like any ASP.NET Core option: command line
/// (<c>--Security:ApiKeys:0=...</c>), environment (<c>Security__AllowedOrigins__0=...</c>) or appsettings.
/// </summary>
public sealed class SecurityOptions
{
    /// <summary>Keys a dashboard backend presents to <c>POST /api/consoles/{id}/tickets</c>.</summary>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>Shared secret for tickets minted as HS256 JWTs (by the server or by a dashboard itself).</summary>
    public string? TicketSigningKey { get; set; }

    /// <summary>Origins that may open the hub and exchange postMessage with an embedded console (never "*").</summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>Sources for <c>Content-Security-Policy: frame-ancestors</c>; empty means 'self' only.</summary>
    public IList<string> FrameAncestors { get; } = [];
}
