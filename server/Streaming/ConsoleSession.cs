using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using WebConsole.Hosting;
using WebConsole.Hubs;
using WebConsole.Region;
using WebConsole.Sources;
using WebConsole.Sources.Clipboard;
using WebConsole.Telemetry;

namespace WebConsole.Streaming;

/// <summary>
/// One console, as the hub, the catalog and the endpoints see it: its source behind a gate
/// (<see cref="GatedSource"/>), its viewers (<see cref="ViewerSet"/>), a capture loop that runs only
/// while somebody watches (<see cref="CaptureLoop"/>), input (<see cref="ConsoleInput"/>) and the
/// reads of an unwatched console (<see cref="UnwatchedReads"/>) and its clipboard (<see cref="ClipboardRelay"/>);
/// here the viewers come, go, move to a successor or are told the console was removed.
/// </summary>
internal sealed partial class ConsoleSession : IDisposable
{
    /// <summary>How long a Join waits for the first reading of a console nobody watched.</summary>
    private static readonly TimeSpan JoinWait = TimeSpan.FromMilliseconds(250);

    private readonly StreamingOptions _options;
    private readonly ILogger _logger;
    private readonly ViewerSet _viewers;
    private readonly SourceStatusBoard _status;
    private readonly CaptureLoop _loop;
    private readonly ConsoleInput _input;
    private readonly UnwatchedReads _unwatched;
    private readonly ClipboardRelay _clipboard;
    private volatile bool _retired;
    private volatile ConsoleSession? _successor;

    public ConsoleSession(string id, SourceSpec spec, IFramebufferSource source, IHubContext<ConsoleHub> hub,
        IOptions<StreamingOptions> options, ILoggerFactory loggers, ConsoleMetrics metrics, TimeProvider time,
        ClipboardDirections clipboard = ClipboardDirections.Both, int clipboardMaxBytes = ClipboardOptions.DefaultMaxBytes)
    {
        Id = id;
        Spec = spec;
        _options = options.Value;
        _logger = loggers.CreateLogger<ConsoleSession>();
        _viewers = new ViewerSet(hub);
        ViewerSet viewers = _viewers;
        ConsoleMeter meter = metrics.ForConsole(id, () => viewers.Count);
        _status = new SourceStatusBoard(id, spec.ToString(), time);
        var gated = new GatedSource(source, _status);
        _loop = new CaptureLoop(id, gated, _viewers, _options, _logger, loggers, meter, time);
        _input = new ConsoleInput(gated);
        _unwatched = new UnwatchedReads(gated, _loop);
        _clipboard = new ClipboardRelay(id, source.Clipboard, clipboard, clipboardMaxBytes, _viewers, meter,
            loggers.CreateLogger<ClipboardRelay>(), time);
    }

    /// <summary>The console's clipboard: what each viewer may do with it, and the way into the guest.</summary>
    public ClipboardRelay Clipboard => _clipboard;

    public string Id { get; }

    public SourceSpec Spec { get; }

    public int ViewerCount => _viewers.Count;

    /// <summary>The session that took this console's viewers when its source was changed; null while this one serves.</summary>
    public ConsoleSession? Successor => _successor;

    /// <summary>The state a removed console's viewers see.</summary>
    public static readonly StateMessage RemovedState = new("removed", "console removed");

    /// <summary>
    /// Adds a viewer; it receives a full frame as soon as the loop has one. Never waits on the
    /// source: the answer is the last reading (for a console nobody watched, the capture loop's
    /// first one when it comes within <see cref="JoinWait"/>). <paramref name="disconnect"/> ends
    /// the viewer's connection when the console is removed.
    /// </summary>
    public JoinResult AddViewer(string connectionId, Action disconnect, ClipboardDirections clipboard = ClipboardDirections.None)
    {
        if (_successor is { } next)
        {
            return next.AddViewer(connectionId, disconnect, clipboard);
        }
        if (_retired)
        {
            disconnect();
            return new JoinResult(0, 0, RemovedState.State, RemovedState.Reason);
        }
        int version = _status.Version;
        var added = new Viewer(connectionId, disconnect, clipboard);
        _viewers.Add(added);
        if (_retired || _successor is not null)
        {
            // Removed or replaced while joining: HandOver or Retire either took the viewer (moved it
            // along, or told it) or missed it; then it is done here.
            bool missed = _viewers.TryRemove(connectionId);
            if (_successor is { } successor)
            {
                return missed ? successor.AddViewer(connectionId, disconnect, clipboard) : successor.Describe().ToJoinResult();
            }
            if (missed)
            {
                disconnect();
            }
            return new JoinResult(0, 0, RemovedState.State, RemovedState.Reason);
        }
        bool started = _loop.EnsureStarted();
        _loop.Wake();
        if (started)
        {
            _status.WaitForReading(version, JoinWait);
        }
        ConsoleStatus status = _status.Read(_viewers.Count);
        _loop.SendCursorTo(connectionId);
        _clipboard.Introduce(added);
        LogViewerJoined(Id, connectionId, _viewers.Count);
        return status.ToJoinResult();
    }

    /// <summary>
    /// The console now shows another source, served by <paramref name="next"/>: every viewer moves
    /// there (a resize and a whole frame follow, and the new state), frame numbers carry on, and a
    /// Join that still reaches this session is passed along.
    /// </summary>
    public void HandOver(ConsoleSession next)
    {
        ArgumentNullException.ThrowIfNull(next);
        next._loop.FrameId = _loop.FrameId;
        _successor = next;
        foreach (Viewer viewer in _viewers.All)
        {
            if (_viewers.TryRemove(viewer.ConnectionId))
            {
                next.AddMovedViewer(viewer);
            }
        }
    }

    private void AddMovedViewer(Viewer moved)
    {
        var viewer = new Viewer(moved.ConnectionId, moved.Disconnect, moved.Clipboard);
        _viewers.Add(viewer);
        _loop.EnsureStarted();
        _loop.Wake();
        ConsoleStatus status = _status.Read(_viewers.Count);
        _viewers.SendTo(moved.ConnectionId, ConsoleClientMethods.State, new StateMessage(status.State, status.Reason));
        _loop.SendCursorTo(moved.ConnectionId);
        _clipboard.Introduce(viewer);
    }

    /// <summary>
    /// The console left the live set: every viewer is told "console removed" and then disconnected,
    /// and a Join that still reaches this session gets the same. <see cref="Dispose"/> follows.
    /// </summary>
    public void Retire()
    {
        _retired = true;
        foreach (Viewer viewer in _viewers.All)
        {
            if (_viewers.TryRemove(viewer.ConnectionId))
            {
                _viewers.TellRemoved(viewer, RemovedState);
            }
        }
    }

    public void RemoveViewer(string connectionId)
    {
        if (_viewers.TryRemove(connectionId))
        {
            LogViewerLeft(Id, connectionId, _viewers.Count);
            _loop.Wake();
        }
    }

    public void Acknowledge(string connectionId, long frameId)
    {
        if (!_viewers.TryGet(connectionId, out Viewer? viewer) || frameId > _loop.FrameId)
        {
            return;
        }
        int before = viewer.Acknowledged(frameId);
        // Only a viewer that was held back has damage waiting for this ack, and one left with nothing
        // in flight may be due its next refresh slice (Lossy is the loop's; reading its count here is
        // only a hint). Waking the loop on every ack cost a context switch per update for nothing.
        if (before >= _options.MaxUpdatesInFlight || (before == 1 && !viewer.Lossy.IsEmpty))
        {
            _loop.Wake();
        }
    }

    /// <summary>Size and state as last read; never waits on the source.</summary>
    public ConsoleStatus Describe() => _status.Read(_viewers.Count);

    /// <summary>
    /// Brings the reading of a console nobody watches up to date (a watched one is kept current by
    /// its loop): one poll on a thread of its own, shared by every request that asks meanwhile, so a
    /// source stuck on its peer holds one thread, not one per request.
    /// </summary>
    public Task RefreshAsync() => _unwatched.RefreshAsync();

    /// <summary>
    /// Every console's state: the unwatched ones are polled side by side, each answer waited for
    /// up to <paramref name="wait"/> in all; a source that takes longer keeps its last reading (or
    /// says it is not answering).
    /// </summary>
    public static readonly TimeSpan DescribeWait = TimeSpan.FromMilliseconds(300);

    public static async Task<List<ConsoleStatus>> DescribeAllAsync(IEnumerable<ConsoleSession> sessions, TimeSpan wait)
    {
        var all = sessions.ToList();
        var refreshes = new List<Task>(all.Count);
        foreach (ConsoleSession session in all)
        {
            Task refresh = session.RefreshAsync();
            if (!refresh.IsCompleted)
            {
                refreshes.Add(refresh);
            }
        }
        if (refreshes.Count > 0)
        {
            await Task.WhenAny(Task.WhenAll(refreshes), Task.Delay(wait)).ConfigureAwait(false);
        }
        var list = new List<ConsoleStatus>(all.Count);
        foreach (ConsoleSession session in all)
        {
            list.Add(session.Describe());
        }
        return list;
    }

    /// <summary>
    /// Runs <paramref name="use"/> on the current frame under the session's lock, on a thread of its own
    /// (one at a time per console); null when the frame does not come within <paramref name="wait"/>
    /// (a source stuck on its peer, or a loop busy in it).
    /// </summary>
    public Task<byte[]?> WithFrameAsync(Func<ReadOnlyMemory<byte>, int, int, int, byte[]?> use, TimeSpan wait) =>
        _unwatched.WithFrameAsync(use, wait);

    public bool TrySendInput(in InputEvent e) => _input.TrySendInput(e);

    /// <summary>
    /// Queues a viewer's input for the source, pointer positions clamped to the frame. Returns how
    /// many events went in; fewer than given when the source's input ring is full or it has no frame.
    /// </summary>
    public int SendInput(ReadOnlySpan<InputEvent> events) => _input.SendInput(events);

    internal static string StateName(RegionStatus status) => status switch
    {
        RegionStatus.Ready => "ready",
        RegionStatus.Invalid => "invalid",
        _ => "waiting",
    };

    public void Dispose()
    {
        _clipboard.Dispose();
        _loop.Dispose();
    }
}
