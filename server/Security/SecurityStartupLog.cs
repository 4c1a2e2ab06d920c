using Microsoft.Extensions.Options;

namespace WebConsole.Security;

/// <summary>Says at start-up how the server is protected, so an open or half-configured server is noticed.</summary>
internal sealed partial class SecurityStartupLog(
    AccessPolicy access, SigningKey key, OriginPolicy origins, IOptions<SecurityOptions> options, IOptions<ProxyOptions> proxies,
    ILogger<SecurityStartupLog> logger) : IHostedService
{
    private readonly ILogger _logger = logger;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        SecurityOptions settings = options.Value;
        if (access.Anonymous)
        {
            LogAnonymous();
        }
        else
        {
            LogTickets(settings.ApiKeys.Count);
            if (key.Generated)
            {
                LogGeneratedKey();
            }
        }
        string allowed = origins.Allowed.Count == 0 ? "(none)" : string.Join(' ', origins.Allowed);
        string policy = SecurityHeadersMiddleware.BuildPolicy(settings);
        LogOrigins(allowed, policy);
        ProxyOptions proxy = proxies.Value;
        if (proxy.Enabled)
        {
            string believed = string.Join(' ', proxy.KnownProxies.Concat(proxy.KnownNetworks));
            LogProxies(believed, proxy.ForwardLimit);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "No Security:ApiKeys or Security:TicketSigningKey configured: anonymous access is allowed from loopback only, every other caller is refused")]
    private partial void LogAnonymous();

    [LoggerMessage(Level = LogLevel.Information, Message = "Access control on: hub connections need a ticket, /api needs one of {ApiKeyCount} API keys")]
    private partial void LogTickets(int apiKeyCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No Security:TicketSigningKey: tickets are signed with a random key for this process, so only this server can mint them (POST /api/consoles/ID/tickets); dashboards cannot mint their own, and tickets die with a restart")]
    private partial void LogGeneratedKey();

    [LoggerMessage(Level = LogLevel.Information, Message = "Forwarded headers (X-Forwarded-For, -Proto, -Prefix) believed from {Proxies} only, {Limit} proxy deep")]
    private partial void LogProxies(string proxies, int limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hub origins allowed besides the server's own: {Origins}; Content-Security-Policy: {Policy}")]
    private partial void LogOrigins(string origins, string policy);
}
