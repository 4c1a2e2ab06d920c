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
    /// <remarks>
    /// At least 32 bytes. <c>base64:</c> followed by base64 is decoded; anything else is used as the
    /// UTF-8 bytes of the text as written. A dashboard signs with the same bytes.
    /// </remarks>
    public string? TicketSigningKey { get; set; }

    /// <summary>Origins that may open the hub and exchange postMessage with an embedded console (never "*").</summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>Sources for <c>Content-Security-Policy: frame-ancestors</c>; empty means 'self' only.</summary>
    public IList<string> FrameAncestors { get; } = [];

    /// <summary>
    /// True opens <c>/metrics</c> and the per-console detail of <c>/healthz</c> to every caller (a
    /// scrape network); by default they need an API key (or, with no keys, a local caller).
    /// </summary>
    public bool OpenMetrics { get; set; }

    /// <summary>Seconds a server-minted ticket stays valid for connecting when the request names none (default 60).</summary>
    public int TicketLifetimeSeconds { get; set; } = 60;

    /// <summary>The longest a ticket may still be valid, minted here or by a dashboard (default 3600).</summary>
    public int MaxTicketLifetimeSeconds { get; set; } = 3600;

    /// <summary>Input events per second one connection may send (keys, pointer, wheel, typed characters; default 250).</summary>
    public int InputEventsPerSecond { get; set; } = 250;

    /// <summary>Input events a connection may send at once before the per-second rate applies (default 500).</summary>
    public int InputBurst { get; set; } = 500;

    /// <summary>
    /// <c>Join</c> calls per second one connection may make (default 2, with a burst of
    /// <see cref="JoinBurst"/>): a page joins once per connection, a dashboard switching consoles a
    /// few times; more is refused with a HubException.
    /// </summary>
    public int JoinsPerSecond { get; set; } = 2;

    /// <summary><c>Join</c> calls a connection may make at once before <see cref="JoinsPerSecond"/> applies (default 10).</summary>
    public int JoinBurst { get; set; } = 10;

    /// <summary>
    /// Other hub calls (<c>Ack</c>, <c>Ping</c>) per second one connection may make (default 500, burst
    /// twice that): a viewer acknowledges at most one update per frame; calls over the cap are dropped.
    /// </summary>
    public int HubCallsPerSecond { get; set; } = 500;

    /// <summary>The largest SignalR message a client may send, in bytes (default 65536); a larger one closes that connection.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;
}
