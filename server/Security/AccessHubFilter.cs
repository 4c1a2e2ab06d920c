using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using WebConsole.Consoles;
using WebConsole.Hubs;

namespace WebConsole.Security;

/// <summary>
/// Access control inside the hub. On connect: the ticket is validated again and a single-use one
/// consumed (a refused connection is closed with "access denied: reason"). On every invocation:
/// <c>Join</c> only for the ticket's console; methods marked <see cref="RequiresControlAttribute"/> are
/// dropped for <c>view</c> connections and capped per connection by a token bucket;
/// <c>Join</c> and every other call have their own per-connection caps (a Join over its cap closes
/// the connection, another call is dropped). Refusals are counted by <see cref="ClientRefusals"/>
/// (one line a second at most, server-wide), never logged one by one.
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
    private readonly ClientRefusals _refusals;
    private readonly ConsoleCatalog _catalog;

    private readonly Sources.Clipboard.ClipboardOptions _clipboard;

    public AccessHubFilter(AccessPolicy access, TimeProvider time, IOptions<SecurityOptions> options, IMeterFactory meters, ClientRefusals refusals,
        ConsoleCatalog catalog, ILogger<AccessHubFilter> logger, IOptions<Sources.Clipboard.ClipboardOptions> clipboard)
    {
        _clipboard = clipboard.Value;
        _catalog = catalog;
        _refusals = refusals;
        _meter = meters.Create(MeterName); // owned by the factory, disposed with the host
        _access = access;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _dropped = _meter.CreateCounter<long>("webconsole.input.dropped", "{event}", "Input events dropped: view-only connection or over the rate cap");
        _refusedCalls = _meter.CreateCounter<long>("webconsole.hub.calls.refused", "{call}", "Hub calls refused over a connection's Join or call rate cap");
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
        context.Context.Items[ConnectionGrant.ItemKey] = new ConnectionGrant(ticket?.ConsoleId, ticket?.Incarnation ?? 0, ticket?.Permission ?? AccessLevel.Control,
            new TokenBucket(_options.InputEventsPerSecond, _options.InputBurst, _time),
            new TokenBucket(_options.JoinsPerSecond, _options.JoinBurst, _time),
            new TokenBucket(_options.HubCallsPerSecond, 2.0 * _options.HubCallsPerSecond, _time),
            ticket?.Clipboard ?? Sources.Clipboard.ClipboardDirections.Both,
            new TokenBucket(_clipboard.BytesPerSecond, 2.0 * Math.Max(_clipboard.MaxBytes, _clipboard.BytesPerSecond), _time),
            new TokenBucket(_clipboard.TextsPerSecond, 2.0 * _clipboard.TextsPerSecond, _time));
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
                    _refusals.Add(join ? ClientRefusal.JoinRate : ClientRefusal.CallRate);
                    if (join)
                    {
                        // A page joins once per connection and rejoins at most once a second (after a
                        // decode error); one that keeps joining is broken or hostile: close it.
                        caller.Abort();
                        throw new ClientRefusedException($"too many Join calls: at most {_options.JoinsPerSecond} per second per connection; the connection is closed");
                    }
                    return null; // an Ack or Ping over the cap is dropped silently (counted)
                }
                if (grant.ConsoleId is not null && invocation.Hub is ConsoleHub && invocation.HubMethodName == nameof(ConsoleHub.Join)
                    && (invocation.HubMethodArguments.Count == 0 || invocation.HubMethodArguments[0] is not string id || id != grant.ConsoleId))
                {
                    _refusals.Add(ClientRefusal.WrongConsole);
                    throw new ClientRefusedException(TicketFailures.Denied(TicketFailure.WrongConsole));
                }
                if (grant.ConsoleId is not null && join && _catalog.TryGetEntry(grant.ConsoleId, out ConsoleEntry? console) && console!.Incarnation != grant.Incarnation)
                {
                    // The ticket's console was removed and another one now has its id: not what the ticket was for.
                    _refusals.Add(ClientRefusal.WrongConsole);
                    throw new ClientRefusedException(TicketFailures.Denied(TicketFailure.EarlierConsole));
                }
            }
            else
            {
                int events = CountEvents(invocation.HubMethodArguments);
                if (grant.Permission != AccessLevel.Control)
                {
                    _dropped.Add(events, new KeyValuePair<string, object?>("reason", "view_only"));
                    _refusals.Add(ClientRefusal.ViewOnly);
                    return null;
                }
                if (!grant.Input.TryTake(events))
                {
                    _dropped.Add(events, new KeyValuePair<string, object?>("reason", "rate"));
                    _refusals.Add(ClientRefusal.InputRate);
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




}
