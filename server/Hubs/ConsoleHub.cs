using Microsoft.AspNetCore.SignalR;
using WebConsole.Streaming;

namespace WebConsole.Hubs;

/// <summary>
/// The SignalR hub viewers connect to (MessagePack protocol): <c>Join(consoleId)</c>, then
/// <c>Update</c>/<c>Resize</c>/<c>State</c> from the server and <c>Ack(frameId)</c> from the viewer.
/// </summary>
internal sealed partial class ConsoleHub(ConsoleRegistry registry, ILogger<ConsoleHub> logger) : Hub
{
    private const string SessionKey = "console";

    private readonly ILogger _logger = logger;

    /// <summary>Starts watching a console; a full frame follows.</summary>
    public JoinResult Join(string consoleId)
    {
        if (!registry.TryGet(consoleId ?? "", out ConsoleSession? session))
        {
            LogUnknownConsole(Context.ConnectionId, consoleId);
            throw new HubException($"unknown console '{consoleId}'");
        }
        if (Context.Items.TryGetValue(SessionKey, out object? previous) && previous is ConsoleSession old)
        {
            old.RemoveViewer(Context.ConnectionId);
        }
        Context.Items[SessionKey] = session;
        return session!.AddViewer(Context.ConnectionId);
    }

    /// <summary>The viewer has drawn update <paramref name="frameId"/>.</summary>
    public void Ack(long frameId)
    {
        if (Context.Items.TryGetValue(SessionKey, out object? value) && value is ConsoleSession session)
        {
            session.Acknowledge(Context.ConnectionId, frameId);
        }
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue(SessionKey, out object? value) && value is ConsoleSession session)
        {
            session.RemoveViewer(Context.ConnectionId);
        }
        return base.OnDisconnectedAsync(exception);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} asked for unknown console {ConsoleId}")]
    private partial void LogUnknownConsole(string connectionId, string? consoleId);
}
