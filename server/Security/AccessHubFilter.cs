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
/// dropped and logged for <c>view</c> connections and capped per connection by a token bucket.
/// </summary>
internal sealed partial class AccessHubFilter : IHubFilter, IDisposable
{
    public const string MeterName = "WebConsole.Security";

    private readonly AccessPolicy _access;
    private readonly TimeProvider _time;
    private readonly SecurityOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<MethodInfo, bool> _controlMethods = new();
    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _dropped;

    public AccessHubFilter(AccessPolicy access, TimeProvider time, IOptions<SecurityOptions> options, ILogger<AccessHubFilter> logger)
    {
        _access = access;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _dropped = _meter.CreateCounter<long>("webconsole.input.dropped", "{event}", "Input events dropped: view-only connection or over the rate cap");
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
        var bucket = new TokenBucket(_options.InputEventsPerSecond, _options.InputBurst, _time);
        context.Context.Items[ConnectionGrant.ItemKey] = new ConnectionGrant(ticket?.ConsoleId, ticket?.Permission ?? AccessLevel.Control, bucket);
        string permission = TicketService.Format(ticket?.Permission ?? AccessLevel.Control);
        LogConnected(context.Context.ConnectionId, ticket?.ConsoleId ?? "*", permission, ticket?.Id);
        await next(context).ConfigureAwait(false);
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        HubCallerContext caller = invocation.Context;
        if (caller.Items.TryGetValue(ConnectionGrant.ItemKey, out object? value) && value is ConnectionGrant grant)
        {
            if (grant.ConsoleId is not null && invocation.Hub is ConsoleHub && invocation.HubMethodName == nameof(ConsoleHub.Join)
                && (invocation.HubMethodArguments.Count == 0 || invocation.HubMethodArguments[0] is not string id || id != grant.ConsoleId))
            {
                LogWrongConsole(caller.ConnectionId, grant.ConsoleId, invocation.HubMethodArguments.Count > 0 ? invocation.HubMethodArguments[0] as string : null);
                throw new HubException(TicketFailures.Denied(TicketFailure.WrongConsole));
            }
            if (RequiresControl(invocation.HubMethod))
            {
                int events = CountEvents(invocation.HubMethodArguments);
                if (grant.Permission != AccessLevel.Control)
                {
                    _dropped.Add(events, new KeyValuePair<string, object?>("reason", "view_only"));
                    LogViewOnlyInput(caller.ConnectionId, grant.ConsoleId ?? "*", invocation.HubMethodName, events);
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

    public void Dispose() => _meter.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub connection {ConnectionId} refused: {Reason}")]
    private partial void LogRefusedConnection(string connectionId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hub connection {ConnectionId} admitted for console {ConsoleId} with permission {Permission} (ticket id {TicketId})")]
    private partial void LogConnected(string connectionId, string consoleId, string permission, string? ticketId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub connection {ConnectionId} with a ticket for console {ConsoleId} tried to join console {Requested}")]
    private partial void LogWrongConsole(string connectionId, string consoleId, string? requested);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Method} ({Events} events) from view-only connection {ConnectionId} on console {ConsoleId}")]
    private partial void LogViewOnlyInput(string connectionId, string consoleId, string method, int events);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Events} input events from connection {ConnectionId} on console {ConsoleId}: over {Rate} events/s")]
    private partial void LogRateCapped(string connectionId, string consoleId, long events, int rate);
}
