using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace WebConsole.Security;

/// <summary>
/// Who may watch or drive a console. With neither <c>Security:ApiKeys</c> nor
/// <c>Security:TicketSigningKey</c> the server is open to local callers only (loopback, or no network
/// peer at all as with a Unix socket, and no proxy's Forwarded header); otherwise every hub connection
/// needs a ticket.
/// </summary>
internal sealed class AccessPolicy(IOptions<SecurityOptions> options, TicketService tickets, SingleUseTickets used)
{
    /// <summary>True when no key is configured: anonymous access, from local callers only.</summary>
    public bool Anonymous { get; } = options.Value.ApiKeys.Count == 0 && options.Value.TicketSigningKey is null;

    /// <summary>
    /// Checks a hub request's ticket (<c>access_token</c> query parameter or <c>Authorization: Bearer</c>).
    /// <paramref name="consume"/> marks a single-use ticket used: done once, when the connection starts.
    /// </summary>
    public async Task<AccessDecision> CheckAsync(HttpContext? http, bool consume)
    {
        if (http is null)
        {
            return AccessDecision.Deny(Anonymous ? TicketFailure.LoopbackOnly : TicketFailure.Missing);
        }
        if (Anonymous)
        {
            return IsLocal(http) ? AccessDecision.Anonymous : AccessDecision.Deny(TicketFailure.LoopbackOnly);
        }
        TicketValidation validation = await tickets.ValidateAsync(ReadTicket(http.Request)).ConfigureAwait(false);
        if (!validation.IsValid)
        {
            return AccessDecision.Deny(validation.Failure);
        }
        Ticket ticket = validation.Ticket!;
        if (ticket.SingleUse)
        {
            if (consume)
            {
                if (!used.TryConsume(ticket, out TicketFailure failure))
                {
                    return AccessDecision.Deny(failure);
                }
            }
            else if (used.IsUsed(ticket))
            {
                return AccessDecision.Deny(TicketFailure.Reused);
            }
        }
        return new AccessDecision(true, ticket, TicketFailure.None);
    }

    /// <summary>True for a caller on this machine that did not come through a proxy.</summary>
    public static bool IsLocal(HttpContext http)
    {
        IHeaderDictionary headers = http.Request.Headers;
        if (headers.ContainsKey("X-Forwarded-For") || headers.ContainsKey("Forwarded"))
        {
            return false; // a proxy on loopback speaks for somebody else
        }
        IPAddress? remote = http.Connection.RemoteIpAddress;
        if (remote is null)
        {
            return true; // no network peer: in-process or a Unix domain socket
        }
        return IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);
    }

    /// <summary>The ticket SignalR sends: <c>access_token</c> in the query (WebSockets, SSE) or a bearer header.</summary>
    public static string? ReadTicket(HttpRequest request)
    {
        string? query = request.Query["access_token"];
        if (!string.IsNullOrEmpty(query))
        {
            return query;
        }
        string? authorization = request.Headers[HeaderNames.Authorization];
        const string Bearer = "Bearer ";
        return authorization is not null && authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            ? authorization[Bearer.Length..].Trim()
            : null;
    }
}
