namespace WebConsole.Security;

/// <summary>
/// The <c>Proxy</c> section: which reverse proxies the server believes. Only a request whose
/// peer is one of them has its <c>X-Forwarded-For</c>, <c>X-Forwarded-Proto</c> and
/// <c>X-Forwarded-Prefix</c> applied (the client's address, https, the path base under which the
/// proxy serves this server). From anybody else these headers change nothing, and a request
/// still carrying <c>X-Forwarded-For</c> never counts as a local caller. Empty: no proxy is believed.
/// </summary>
public sealed class ProxyOptions
{
    public const string Section = "Proxy";

    /// <summary>Addresses of trusted proxies, e.g. <c>127.0.0.1</c> for an nginx on this host.</summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>Networks of trusted proxies in CIDR form, e.g. <c>10.0.0.0/24</c>.</summary>
    public IList<string> KnownNetworks { get; } = [];

    /// <summary>
    /// How many proxies deep the forwarded headers are read, from the nearest (default 1: only the
    /// entry the trusted proxy itself added; whatever the client put before it is ignored).
    /// </summary>
    public int ForwardLimit { get; set; } = 1;

    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}
