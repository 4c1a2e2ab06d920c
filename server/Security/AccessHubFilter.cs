using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using WebConsole.Hubs;

namespace WebConsole.Security;

/// <summary>
/// Access control inside the hub. On connect: the ticket is validated again and a single-use one
/// consumed (a refused connection is closed with "access denied: reason"). On every invocation:
/// <c>Join</c> only for the ticket's console; methods marked <see cref="RequiresControlAttribute"/> are
/// dropped and logged for <c>view</c> connections and capped per connection by a token bucket;
/// <c>Join</c> and every other call have their own per-connection caps (a Join over its cap closes
/// the connection, another call is dropped), and refusals are logged at most once a second server-wide, with their count.
/// </summary>
internal sealed partial class AccessHubFilter : IHubFilter
{
    public const string MeterName = "WebConsole.Security";

    private readonly AccessPolicy _access;
    private readonly TimeProvider _time;
    private readonly SecurityOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<MethodInfo, bool> _controlMethods = new();
    private readonly Meter _meter;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _refusedCalls;
    private readonly RefusalTally _callRefusals;
    private readonly RefusalTally _viewOnlyRefusals;

    public AccessHubFilter(AccessPolicy access, TimeProvider time, IOptions<SecurityOptions> options, IMeterFactory meters, ILogger<AccessHubFilter> logger)
    {
        _meter = meters.Create(MeterName); // owned by the factory, disposed with the host
        _access = access;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _dropped = _meter.CreateCounter<long>("webconsole.input.dropped", "{event}", "Input events dropped: view-only connection or over the rate cap");
        _refusedCalls = _meter.CreateCounter<long>("webconsole.hub.calls.refused", "{call}", "Hub calls refused over a connection's Join or call rate cap");
        _callRefusals = new RefusalTally(time, TimeSpan.FromSeconds(1));
        _viewOnlyRefusals = new RefusalTally(time, TimeSpan.FromSeconds(1));
    }

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        HttpContext? http = context.Context.GetHttpContext();
        AccessDecision decision = await _access.CheckAsync(http, consume: true).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            LogRefusedConnection(context.Context.ConnectionId, TicketFailures.Describe(decision.Failure));
            throw new HubException(TicketFailures.Denied(decision.Failure));
        }
        Ticket? ticket = decision.Ticket;
        context.Context.Items[ConnectionGrant.ItemKey] = new ConnectionGrant(ticket?.ConsoleId, ticket?.Permission ?? AccessLevel.Control,
            new TokenBucket(_options.InputEventsPerSecond, _options.InputBurst, _time),
            new TokenBucket(_options.JoinsPerSecond, _options.JoinBurst, _time),
            new TokenBucket(_options.HubCallsPerSecond, 2.0 * _options.HubCallsPerSecond, _time));
        string permission = TicketService.Format(ticket?.Permission ?? AccessLevel.Control);
        LogConnected(context.Context.ConnectionId, ticket?.ConsoleId ?? "*", permission, ticket?.Id);
        await next(context).ConfigureAwait(false);
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        HubCallerContext caller = invocation.Context;
        if (caller.Items.TryGetValue(ConnectionGrant.ItemKey, out object? value) && value is ConnectionGrant grant)
        {
            bool control = RequiresControl(invocation.HubMethod);
            if (!control)
            {
                bool join = invocation.HubMethodName == nameof(ConsoleHub.Join);
                if (!(join ? grant.Joins : grant.Calls).TryTake(1))
                {
                    _refusedCalls.Add(1, new KeyValuePair<string, object?>("method", join ? "join" : "other"));
                    if (_callRefusals.Add(out long refused))
                    {
                        LogCallsRefused(refused, invocation.HubMethodName, caller.ConnectionId);
                    }
                    if (join)
                    {
                        // A page joins once per connection; one that keeps joining is broken or hostile,
                        // and each refused call would cost SignalR's own error line: close it.
                        caller.Abort();
                        throw new HubException($"too many Join calls: at most {_options.JoinsPerSecond} per second per connection; the connection is closed");
                    }
                    return null; // an Ack or Ping over the cap is dropped silently (counted)
                }
                if (grant.ConsoleId is not null && invocation.Hub is ConsoleHub && invocation.HubMethodName == nameof(ConsoleHub.Join)
                    && (invocation.HubMethodArguments.Count == 0 || invocation.HubMethodArguments[0] is not string id || id != grant.ConsoleId))
                {
                    LogWrongConsole(caller.ConnectionId, grant.ConsoleId, invocation.HubMethodArguments.Count > 0 ? invocation.HubMethodArguments[0] as string : null);
                    throw new HubException(TicketFailures.Denied(TicketFailure.WrongConsole));
                }
            }
            else
            {
                int events = CountEvents(invocation.HubMethodArguments);
                if (grant.Permission != AccessLevel.Control)
                {
                    _dropped.Add(events, new KeyValuePair<string, object?>("reason", "view_only"));
                    if (_viewOnlyRefusals.Add(out long calls))
                    {
                        LogViewOnlyInput(calls, invocation.HubMethodName, caller.ConnectionId, grant.ConsoleId ?? "*");
                    }
                    return null;
                }
                if (!grant.Input.TryTake(events))
                {
                    _dropped.Add(events, new KeyValuePair<string, object?>("reason", "rate"));
                    grant.DroppedSinceLog += events;
                    long now = _time.GetTimestamp();
                    if (grant.LastLogTimestamp == 0 || _time.GetElapsedTime(grant.LastLogTimestamp, now) >= TimeSpan.FromSeconds(1))
                    {
                        LogRateCapped(caller.ConnectionId, grant.ConsoleId ?? "*", grant.DroppedSinceLog, _options.InputEventsPerSecond);
                        grant.DroppedSinceLog = 0;
                        grant.LastLogTimestamp = now;
                    }
                    return null;
                }
            }
        }
        else
        {
            // OnConnectedAsync refused or never ran for this connection: nothing goes through.
            throw new HubException(TicketFailures.Denied(TicketFailure.Missing));
        }
        return await next(invocation).ConfigureAwait(false);
    }

    private bool RequiresControl(MethodInfo method) =>
        _controlMethods.GetOrAdd(method, static m => m.IsDefined(typeof(RequiresControlAttribute), inherit: true));

    /// <summary>
    /// An array or list counts its elements; anything else (a typed text included) one event. Typed
    /// text is paced by the server itself (it waits for room in the producer's input ring, one call
    /// at a time per connection, at most InputLimits.MaxTextLength characters), so counting its
    /// characters against the burst would only refuse every paste longer than the burst.
    /// </summary>
    private static int CountEvents(IReadOnlyList<object?> arguments)
    {
        int events = 0;
        foreach (object? argument in arguments)
        {
            events += argument switch
            {
                System.Collections.ICollection collection => collection.Count,
                _ => 0,
            };
        }
        return Math.Max(events, 1);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub connection {ConnectionId} refused: {Reason}")]
    private partial void LogRefusedConnection(string connectionId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hub connection {ConnectionId} admitted for console {ConsoleId} with permission {Permission} (ticket id {TicketId})")]
    private partial void LogConnected(string connectionId, string consoleId, string permission, string? ticketId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub connection {ConnectionId} with a ticket for console {ConsoleId} tried to join console {Requested}")]
    private partial void LogWrongConsole(string connectionId, string consoleId, string? requested);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Calls} input calls from view-only connections in the last second or more (latest: {Method} from connection {ConnectionId} on console {ConsoleId})")]
    private partial void LogViewOnlyInput(long calls, string method, string connectionId, string consoleId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Calls} hub calls over the per-connection rate caps in the last second or more (latest: {Method} from connection {ConnectionId})")]
    private partial void LogCallsRefused(long calls, string method, string connectionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Events} input events from connection {ConnectionId} on console {ConsoleId}: over {Rate} events/s")]
    private partial void LogRateCapped(string connectionId, string consoleId, long events, int rate);
}
