using Microsoft.AspNetCore.SignalR;
using WebConsole.Input;
using WebConsole.Region;
using WebConsole.Security;
using WebConsole.Streaming;

namespace WebConsole.Hubs;

/// <summary>
/// The SignalR hub viewers connect to (MessagePack protocol): <c>Join(consoleId)</c>, then
/// <c>Update</c>/<c>Resize</c>/<c>State</c>/<c>Cursor</c> from the server and <c>Ack(frameId)</c>,
/// <c>Input(events)</c>, <c>TypeText(text)</c> and <c>Ping()</c> from the viewer.
/// </summary>
internal sealed partial class ConsoleHub(ConsoleRegistry registry, InputRejections rejections, ILogger<ConsoleHub> logger) : Hub
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

    /// <summary>
    /// Keyboard, pointer and wheel events for the joined console, in order. Events that no keyboard
    /// or mouse could produce are dropped with a warning; more than <see cref="InputLimits.MaxEvents"/>
    /// in one call is refused whole.
    /// </summary>
    [RequiresControl]
    public void Input(InputMessage[] events)
    {
        ConsoleSession session = JoinedSession();
        if (events is null || events.Length > InputLimits.MaxEvents)
        {
            LogInputRefused(Context.ConnectionId, session.Id, events?.Length ?? -1);
            throw new HubException($"at most {InputLimits.MaxEvents} input events per call");
        }
        Span<InputEvent> valid = stackalloc InputEvent[events.Length];
        int count = 0;
        string? firstProblem = null;
        foreach (InputMessage message in events)
        {
            InputEvent? e = InputTranslator.Translate(message, out string? problem);
            if (e is null)
            {
                firstProblem ??= problem;
                continue;
            }
            valid[count++] = e.Value;
        }
        if (firstProblem is not null && rejections.Tally.Add(out long calls))
        {
            LogInputRejected(calls, Context.ConnectionId, session.Id, firstProblem);
        }
        int sent = session.SendInput(valid[..count]);
        if (sent < count)
        {
            LogInputDropped(Context.ConnectionId, session.Id, count - sent);
        }
    }

    /// <summary>
    /// Types <paramref name="text"/> as key presses on a US layout (see <see cref="TextKeys"/>), waiting
    /// for the producer to drain its input ring as needed. Refused whole when a character has no key.
    /// </summary>
    [RequiresControl]
    public async Task TypeText(string text)
    {
        ConsoleSession session = JoinedSession();
        if (text is null || text.Length > InputLimits.MaxTextLength)
        {
            LogInputRefused(Context.ConnectionId, session.Id, text?.Length ?? -1);
            throw new HubException($"text must be at most {InputLimits.MaxTextLength} characters");
        }
        var keys = new List<InputEvent>(text.Length * 4);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    continue; // CR LF is one Enter
                }
                c = '\n';
            }
            if (!TextKeys.TryGetKey(c, out ushort code, out bool shift))
            {
                LogUntypable(Context.ConnectionId, session.Id, (int)c);
                throw new HubException($"cannot type U+{(int)c:X4} at position {i}: only printable ASCII, tab and newline");
            }
            if (shift)
            {
                keys.Add(InputEvent.Key(TextKeys.LeftShift, true));
            }
            keys.Add(InputEvent.Key(code, true));
            keys.Add(InputEvent.Key(code, false));
            if (shift)
            {
                keys.Add(InputEvent.Key(TextKeys.LeftShift, false));
            }
        }
        InputEvent[] all = keys.ToArray();
        int done = 0;
        DateTime stalledSince = DateTime.UtcNow;
        while (done < all.Length)
        {
            int sent = session.SendInput(all.AsSpan(done));
            done += sent;
            if (done == all.Length)
            {
                break;
            }
            if (sent > 0)
            {
                stalledSince = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - stalledSince > InputLimits.RingStall)
            {
                LogInputDropped(Context.ConnectionId, session.Id, all.Length - done);
                throw new HubException("the console stopped taking input; the rest of the text was not typed");
            }
            await Task.Delay(5, Context.ConnectionAborted);
        }
    }

    /// <summary>Answers at once (with the connection id); viewers time it for the round trip in their statistics.</summary>
    public string Ping() => Context.ConnectionId;

    private ConsoleSession JoinedSession()
    {
        if (Context.Items.TryGetValue(SessionKey, out object? value) && value is ConsoleSession session)
        {
            return session;
        }
        throw new HubException("join a console first");
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected input in {Calls} calls in the last second or more (latest: connection {ConnectionId} on console {ConsoleId}: {Problem})")]
    private partial void LogInputRejected(long calls, string connectionId, string consoleId, string? problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} on console {ConsoleId}: input call refused, size {Size} over the limit")]
    private partial void LogInputRefused(string connectionId, string consoleId, int size);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} on console {ConsoleId}: {Count} input events dropped, the producer's input ring is full")]
    private partial void LogInputDropped(string connectionId, string consoleId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} on console {ConsoleId}: cannot type character U+{Char:X4}")]
    private partial void LogUntypable(string connectionId, string consoleId, int @char);
}
