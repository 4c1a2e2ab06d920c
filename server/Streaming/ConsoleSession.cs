using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using WebConsole.Capture;
using WebConsole.Encoding;
using WebConsole.Hosting;
using WebConsole.Hubs;
using WebConsole.Region;
using WebConsole.Sources;
using WebConsole.Telemetry;

namespace WebConsole.Streaming;

/// <summary>
/// One console: its source, and a capture loop that runs on its own thread only while somebody
/// watches. Each pass waits for the source (request + futex), finds the tiles that really changed,
/// encodes them once for every viewer in step, and lets the damage of slower viewers merge into
/// their pending tiles until they acknowledge.
/// </summary>
internal sealed partial class ConsoleSession : IDisposable
{
    // A still screen: the loop sleeps on the source this long at most; joins, acks and viewers
    // leaving wake it (IFramebufferSource.Wake), so waiting longer costs no latency.
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan BusyWait = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan ThumbnailWait = TimeSpan.FromMilliseconds(200);
    /// <summary>How long a Join waits for the first reading of a console nobody watched.</summary>
    private static readonly TimeSpan JoinWait = TimeSpan.FromMilliseconds(250);
    /// <summary>How long input waits for the source's lock (held by a poll) before it is refused.</summary>
    private static readonly TimeSpan InputLockWait = TimeSpan.FromMilliseconds(100);
    /// <summary>How long a stop waits for a capture loop to leave the source.</summary>
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(2);
    // Lossless refresh: at most 16 tiles (256 KB of pixels) per message, half the bandwidth a
    // viewer's acks show, up to 512 KB saved up (TigerVNC also spends a share of the measured rate).
    private const int RefreshSliceTiles = 16;
    private const double RefreshShare = 0.5;
    private const double RefreshBurst = 512 * 1024;

    private readonly IFramebufferSource _source;
    private readonly IHubContext<ConsoleHub> _hub;
    private readonly StreamingOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Viewer> _viewers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly Lock _loopGate = new();
    // A kernel-backed auto-reset event: the loop blocks at once instead of spinning first
    // (SemaphoreSlim's spin showed as a large share of the server's CPU at 60 Hz).
    private readonly AutoResetEvent _wake = new(false);
    private readonly ChangeDetector _detector = new();
    private readonly FrameEncoder _encoder;
    private readonly ConsoleMeter _meter;
    private readonly List<PixelRect> _changed = new(256);
    private readonly List<PixelRect> _pending = new(256);
    private readonly List<PixelRect> _fullFrame = new(64);
    private readonly List<Viewer> _inStep = new(8);
    private readonly List<string> _connectionIds = new(8);
    // Catch-up groups: viewers whose pending tiles are the same share one encode and one message.
    private readonly List<List<PixelRect>> _groupRects = [];
    private readonly List<List<Viewer>> _groupViewers = [];
    private readonly CursorRelay _cursor = new();
    private readonly UpdatePacer _pacer;
    private readonly ChangeHeat _heat;
    private readonly AdaptiveQuality _quality;
    private readonly TimeSpan _refreshAfter;
    private readonly TimeProvider _time;
    private readonly SourceStatusBoard _status;
    private readonly Lock _refreshGate = new();
    private Task _refresh = Task.CompletedTask;
    private Task<byte[]?> _thumbnail = Task.FromResult<byte[]?>(null);
    private volatile CursorMessage? _cursorNow;
    private Thread? _loop;
    private volatile bool _disposed;
    private volatile bool _retired;
    private volatile ConsoleSession? _successor;
    private long _frameId;
    private int _width, _height;

    public ConsoleSession(string id, SourceSpec spec, IFramebufferSource source, IHubContext<ConsoleHub> hub,
        IOptions<StreamingOptions> options, ILoggerFactory loggers, ConsoleMetrics metrics, TimeProvider time)
    {
        Id = id;
        Spec = spec;
        _source = source;
        _hub = hub;
        _options = options.Value;
        _logger = loggers.CreateLogger<ConsoleSession>();
        _encoder = new FrameEncoder(loggers.CreateLogger<FrameEncoder>(), _options.JpegQuality);
        _meter = metrics.ForConsole(id, () => _viewers.Count);
        _pacer = new UpdatePacer(time, _options.MaxFramesPerSecond);
        _time = time;
        _heat = new ChangeHeat(time);
        _quality = new AdaptiveQuality(_heat, _options.JpegQuality, Math.Min(_options.MinJpegQuality, _options.JpegQuality));
        _refreshAfter = TimeSpan.FromMilliseconds(_options.RefreshAfterMs);
        _status = new SourceStatusBoard(id, spec.ToString(), time);
    }

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
    public JoinResult AddViewer(string connectionId, Action disconnect)
    {
        if (_successor is { } next)
        {
            return next.AddViewer(connectionId, disconnect);
        }
        if (_retired)
        {
            disconnect();
            return new JoinResult(0, 0, RemovedState.State, RemovedState.Reason);
        }
        int version = _status.Version;
        var viewer = new Viewer(connectionId, disconnect);
        _viewers[connectionId] = viewer;
        if (_retired || _successor is not null)
        {
            // Removed or replaced while joining: HandOver or Retire either took the viewer (moved it
            // along, or told it) or missed it; then it is done here.
            bool missed = _viewers.TryRemove(connectionId, out _);
            if (_successor is { } successor)
            {
                return missed ? successor.AddViewer(connectionId, disconnect) : successor.Describe().ToJoinResult();
            }
            if (missed)
            {
                disconnect();
            }
            return new JoinResult(0, 0, RemovedState.State, RemovedState.Reason);
        }
        bool started = EnsureLoop();
        Wake();
        if (started)
        {
            _status.WaitForReading(version, JoinWait);
        }
        ConsoleStatus status = _status.Read(_viewers.Count);
        SendCursorTo(connectionId);
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
        Interlocked.Exchange(ref next._frameId, Interlocked.Read(ref _frameId));
        _successor = next;
        foreach (Viewer viewer in _viewers.Values)
        {
            if (_viewers.TryRemove(viewer.ConnectionId, out _))
            {
                next.AddMovedViewer(viewer);
            }
        }
    }

    private void AddMovedViewer(Viewer moved)
    {
        _viewers[moved.ConnectionId] = new Viewer(moved.ConnectionId, moved.Disconnect);
        EnsureLoop();
        Wake();
        ConsoleStatus status = _status.Read(_viewers.Count);
        _ = _hub.Clients.Client(moved.ConnectionId).SendAsync(ConsoleClientMethods.State, new StateMessage(status.State, status.Reason));
        SendCursorTo(moved.ConnectionId);
    }

    /// <summary>
    /// The console left the live set: every viewer is told "console removed" and then disconnected,
    /// and a Join that still reaches this session gets the same. <see cref="Dispose"/> follows.
    /// </summary>
    public void Retire()
    {
        _retired = true;
        foreach (Viewer viewer in _viewers.Values)
        {
            if (_viewers.TryRemove(viewer.ConnectionId, out _))
            {
                TellRemoved(viewer);
            }
        }
    }

    private void TellRemoved(Viewer viewer)
    {
        Task told = _hub.Clients.Client(viewer.ConnectionId).SendAsync(ConsoleClientMethods.State, RemovedState);
        // The state goes out before the connection ends, so the page shows why instead of reconnecting.
        told.ContinueWith(static (_, state) => ((Viewer)state!).Disconnect(), viewer,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public void RemoveViewer(string connectionId)
    {
        if (_viewers.TryRemove(connectionId, out _))
        {
            LogViewerLeft(Id, connectionId, _viewers.Count);
            Wake();
        }
    }

    public void Acknowledge(string connectionId, long frameId)
    {
        if (!_viewers.TryGetValue(connectionId, out Viewer? viewer) || frameId > Interlocked.Read(ref _frameId))
        {
            return;
        }
        int before = viewer.Acknowledged(frameId);
        // Only a viewer that was held back has damage waiting for this ack, and one left with nothing
        // in flight may be due its next refresh slice (Lossy is the loop's; reading its count here is
        // only a hint). Waking the loop on every ack cost a context switch per update for nothing.
        if (before >= _options.MaxUpdatesInFlight || (before == 1 && !viewer.Lossy.IsEmpty))
        {
            Wake();
        }
    }

    /// <summary>Size and state as last read; never waits on the source.</summary>
    public ConsoleStatus Describe() => _status.Read(_viewers.Count);

    /// <summary>
    /// Brings the reading of a console nobody watches up to date (a watched one is kept current by
    /// its loop): one poll on a thread of its own, shared by every request that asks meanwhile, so a
    /// source stuck on its peer holds one thread, not one per request.
    /// </summary>
    public Task RefreshAsync()
    {
        lock (_refreshGate)
        {
            if (_loop is not null || _disposed || !_refresh.IsCompleted)
            {
                return _refresh;
            }
            _refresh = OnOwnThread(RefreshUnwatched);
            return _refresh;
        }
    }

    private void RefreshUnwatched()
    {
        if (!_gate.TryEnter(StopWait))
        {
            return; // the loop is in the source (it keeps the reading current itself)
        }
        try
        {
            if (_loop is null && !_disposed)
            {
                PollSource();
                _source.ReleaseFrame(); // a console list must not keep every frame alive
            }
        }
        finally
        {
            _gate.Exit();
        }
    }

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
    public async Task<byte[]?> WithFrameAsync(Func<ReadOnlyMemory<byte>, int, int, int, byte[]?> use, TimeSpan wait)
    {
        Task<byte[]?> task;
        lock (_refreshGate)
        {
            if (_disposed || _status.BusyFor(wait))
            {
                return null; // its source is in a call that has taken longer than a thumbnail may wait
            }
            if (_thumbnail.IsCompleted)
            {
                _thumbnail = OnOwnThread(() => WithFrame(use, wait));
            }
            task = _thumbnail;
        }
        return await Task.WhenAny(task, Task.Delay(wait)).ConfigureAwait(false) == task ? await task.ConfigureAwait(false) : null;
    }

    private byte[]? WithFrame(Func<ReadOnlyMemory<byte>, int, int, int, byte[]?> use, TimeSpan wait)
    {
        if (!_gate.TryEnter(wait))
        {
            return null;
        }
        try
        {
            bool unwatched = _loop is null && !_disposed;
            if (unwatched)
            {
                // Nobody watches: ask a requested-mode producer for one current frame.
                PollSource();
                _source.WaitForUpdate(ThumbnailWait);
                PollSource();
            }
            try
            {
                return _source.Width == 0 ? null : use(_source.Frame, _source.Width, _source.Height, _source.Stride);
            }
            finally
            {
                if (unwatched)
                {
                    _source.ReleaseFrame(); // thumbnails must not keep full-size buffers alive
                }
            }
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>
    /// Runs a call into the source on a thread of its own, not the pool's: a source stuck on its
    /// peer until its deadline would otherwise hold a pool thread, and a few of those starve every
    /// request of the server.
    /// </summary>
    private static Task OnOwnThread(Action call) =>
        Task.Factory.StartNew(call, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static Task<T> OnOwnThread<T>(Func<T> call) =>
        Task.Factory.StartNew(call, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>One poll of the source, with the reading every request sees updated from it.</summary>
    private RegionChange PollSource()
    {
        _status.Enter();
        RegionChange change = RegionChange.None;
        try
        {
            change = _source.Poll();
            return change;
        }
        finally
        {
            _status.Exit(StateName(_source.Status), _source.Reason, _source.Width, _source.Height);
        }
    }

    public bool TrySendInput(in InputEvent e)
    {
        if (!_gate.TryEnter(InputLockWait))
        {
            return false; // a poll holds the source (stuck on its peer): refused like a full ring
        }
        try
        {
            return _source.TrySendInput(e);
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>
    /// Queues a viewer's input for the source, pointer positions clamped to the frame. Returns how
    /// many events went in; fewer than given when the source's input ring is full or it has no frame.
    /// </summary>
    public int SendInput(ReadOnlySpan<InputEvent> events)
    {
        if (!_gate.TryEnter(InputLockWait))
        {
            return 0; // a poll holds the source (stuck on its peer): refused like a full ring
        }
        try
        {
            int width = _source.Width, height = _source.Height;
            if (width == 0 || height == 0)
            {
                return 0;
            }
            for (int i = 0; i < events.Length; i++)
            {
                InputEvent e = events[i];
                if (e.Type == InputEventType.Pointer)
                {
                    e = e with { X = Math.Clamp(e.X, 0, width - 1), Y = Math.Clamp(e.Y, 0, height - 1) };
                }
                if (!_source.TrySendInput(e))
                {
                    return i;
                }
            }
            return events.Length;
        }
        finally
        {
            _gate.Exit();
        }
    }

    private void SendCursorTo(string connectionId)
    {
        CursorMessage? current = _cursorNow; // not under the lock: a loop stuck in the source holds it
        if (current is not null)
        {
            _ = _hub.Clients.Client(connectionId).SendAsync(ConsoleClientMethods.Cursor, current);
        }
    }

    private void RelayCursor()
    {
        CursorMessage? changed = _cursor.Update(_source);
        if (changed is null)
        {
            return;
        }
        _cursorNow = _cursor.Current;
        foreach (Viewer viewer in _viewers.Values)
        {
            _ = _hub.Clients.Client(viewer.ConnectionId).SendAsync(ConsoleClientMethods.Cursor, changed);
        }
    }

    /// <summary>Wakes the loop; a burst of acks wakes it once, so pacing still holds.</summary>
    private void Wake()
    {
        if (_disposed)
        {
            return;
        }
        _wake.Set();
        _source.Wake(); // the loop may be asleep in the source's wait
    }

    /// <summary>Starts the capture loop unless it runs; true when it started it.</summary>
    private bool EnsureLoop()
    {
        lock (_loopGate)
        {
            if (_loop is not null || _disposed)
            {
                return false;
            }
            _loop = new Thread(Run) { IsBackground = true, Name = $"capture {Id}" };
            _loop.Start();
            return true;
        }
    }

    private void Run()
    {
        LogCaptureStarted(Id);
        try
        {
            while (!_disposed)
            {
                lock (_loopGate)
                {
                    if (_viewers.IsEmpty)
                    {
                        ReleaseBuffers();
                        _loop = null;
                        break;
                    }
                }
                if (!AnyViewerHasRoom())
                {
                    // Nobody can take an update: do not capture, the damage keeps in the region.
                    _wake.WaitOne(IdleWait);
                    continue;
                }
                lock (_gate)
                {
                    if (ServePending())
                    {
                        _pacer.Busy();
                    }
                    // Not paced: a refresh must never make the next live change wait.
                    ServeRefresh();
                }
                // The cap paces a burst; after a still period the delay is zero and the first
                // change is captured as soon as the source has it.
                TimeSpan delay = _pacer.DelayBeforeCapture();
                if (delay > TimeSpan.Zero)
                {
                    _wake.WaitOne(delay);
                }
                _source.WaitForUpdate(AnyPending() || AnyLossy() ? BusyWait : IdleWait);
                long started = _time.GetTimestamp();
                lock (_gate)
                {
                    if (Capture())
                    {
                        _pacer.Busy(started);
                    }
                }
            }
        }
        catch (Exception e)
        {
            if (_disposed)
            {
                return; // stopped under it: the source may be gone already
            }
            LogCaptureFailed(e, Id);
            lock (_loopGate)
            {
                ReleaseBuffers();
                _loop = null;
            }
        }
        LogCaptureStopped(Id);
    }

    /// <summary>
    /// The last viewer left: the frame, the raw copies and the shadow go back to the system, so an
    /// unwatched console costs no frame memory (the next viewer gets a whole frame read afresh).
    /// </summary>
    private void ReleaseBuffers()
    {
        lock (_gate)
        {
            _source.ReleaseFrame();
            _detector.Release();
            _width = _height = 0;
        }
    }

    /// <summary>One pass over the source; true when it had new pixels (the loop paces those passes, not the empty ones).</summary>
    private bool Capture()
    {
        RegionChange change = PollSource();
        RelayCursor();
        if ((change & RegionChange.Status) != 0)
        {
            var state = new StateMessage(StateName(_source.Status), _source.Reason);
            LogSourceState(Id, state.State, state.Reason);
            foreach (Viewer viewer in _viewers.Values)
            {
                _ = _hub.Clients.Client(viewer.ConnectionId).SendAsync(ConsoleClientMethods.State, state);
            }
        }
        if (_source.Width == 0 || _source.Height == 0)
        {
            return false;
        }
        if (_source.Width != _width || _source.Height != _height || (change & (RegionChange.Mode | RegionChange.Restart)) != 0)
        {
            _width = _source.Width;
            _height = _source.Height;
            _detector.Reset(_width, _height);
            _heat.Reset(_width, _height);
            var all = new TileSet();
            all.Reset(_width, _height);
            all.MarkAll();
            all.TakeRects(_fullFrame);
            foreach (Viewer viewer in _viewers.Values)
            {
                viewer.NeedsResize = true;
            }
        }
        if ((change & RegionChange.Pixels) == 0)
        {
            return false;
        }
        _meter.FrameCaptured();
        _detector.FindChanges(_source.Frame.Span, _source.Stride, _source.Damage, _changed);
        _heat.Record(_changed);
        if (_changed.Count == 0)
        {
            return true; // new pixels, all equal to the old: still paced, or a producer publishing the same frame fast would spin the loop
        }
        _inStep.Clear();
        foreach (Viewer viewer in _viewers.Values)
        {
            if (!viewer.NeedsResize && viewer.Pending.IsEmpty && viewer.InFlight < _options.MaxUpdatesInFlight)
            {
                _inStep.Add(viewer);
            }
            else
            {
                _meter.UpdateMerged();
                EnsurePendingSize(viewer);
                foreach (PixelRect r in _changed)
                {
                    viewer.Pending.Mark(r);
                }
            }
        }
        if (_inStep.Count > 0)
        {
            Send(_inStep, _changed);
        }
        return true;
    }

    /// <summary>
    /// Viewers that fell behind (or just joined) and have room get their pending tiles from the
    /// current frame; true when an update went out.
    /// </summary>
    private bool ServePending()
    {
        if (_width == 0)
        {
            return false;
        }
        bool fullRepaint = false;
        int groups = 0;
        _inStep.Clear();
        foreach (Viewer viewer in _viewers.Values)
        {
            if (viewer.InFlight >= _options.MaxUpdatesInFlight)
            {
                continue;
            }
            if (viewer.NeedsResize)
            {
                EnsurePendingSize(viewer);
                viewer.Pending.MarkAll();
                _ = _hub.Clients.Client(viewer.ConnectionId).SendAsync(ConsoleClientMethods.Resize, new ResizeMessage(_width, _height));
                viewer.NeedsResize = false;
            }
            if (viewer.Pending.IsEmpty)
            {
                continue;
            }
            if (viewer.Pending.IsFull)
            {
                // Full repaints (joins, mode changes) share one encode.
                fullRepaint = true;
                viewer.Pending.Reset(_width, _height);
                _inStep.Add(viewer);
                continue;
            }
            viewer.Pending.TakeRects(_pending);
            JoinCatchUpGroup(viewer, ref groups);
        }
        if (fullRepaint)
        {
            Send(_inStep, _fullFrame);
        }
        for (int g = 0; g < groups; g++)
        {
            Send(_groupViewers[g], _groupRects[g]);
            _groupViewers[g].Clear();
        }
        return fullRepaint || groups > 0;
    }

    /// <summary>
    /// Puts <paramref name="viewer"/>, whose pending rectangles are in <c>_pending</c>, into the group
    /// with the same rectangles, or opens a new one: viewers that fell behind together (a burst all of
    /// them missed) get one encode between them, not one each.
    /// </summary>
    private void JoinCatchUpGroup(Viewer viewer, ref int groups)
    {
        for (int g = 0; g < groups; g++)
        {
            if (CollectionsMarshal.AsSpan(_groupRects[g]).SequenceEqual(CollectionsMarshal.AsSpan(_pending)))
            {
                _groupViewers[g].Add(viewer);
                return;
            }
        }
        if (groups == _groupRects.Count)
        {
            _groupRects.Add(new List<PixelRect>(_pending.Count));
            _groupViewers.Add(new List<Viewer>(4));
        }
        _groupRects[groups].Clear();
        _groupRects[groups].AddRange(_pending);
        _groupViewers[groups].Add(viewer);
        groups++;
    }

    private void EnsurePendingSize(Viewer viewer)
    {
        if (viewer.NeedsResize)
        {
            viewer.Pending.Reset(_width, _height);
            viewer.Lossy.Reset(_width, _height);
        }
    }

    /// <summary>
    /// Viewers with nothing in flight and nothing pending get a slice of the areas they last received
    /// as JPEG that have been still for <c>Streaming:RefreshAfterMs</c>, again as PNG, within their
    /// refresh budget. Viewers due the same slice share one encode. Live changes always find a free
    /// slot (a refresh goes only when none is in flight), so they never wait behind a refresh.
    /// </summary>
    private void ServeRefresh()
    {
        if (_width == 0 || _refreshAfter == TimeSpan.Zero)
        {
            return;
        }
        long now = _time.GetTimestamp();
        int groups = 0;
        foreach (Viewer viewer in _viewers.Values)
        {
            if (viewer.Lossy.IsEmpty || viewer.InFlight > 0 || viewer.NeedsResize || !viewer.Pending.IsEmpty ||
                !viewer.RefreshAllowed(RefreshShare, RefreshBurst) ||
                viewer.Lossy.CollectStill(_heat, now, _refreshAfter, RefreshSliceTiles, _pending) == 0)
            {
                continue;
            }
            JoinCatchUpGroup(viewer, ref groups);
        }
        for (int g = 0; g < groups; g++)
        {
            Send(_groupViewers[g], _groupRects[g], refresh: true);
            _groupViewers[g].Clear();
        }
    }

    private void Send(List<Viewer> viewers, List<PixelRect> rects, bool refresh = false)
    {
        var update = new EncodedUpdate();
        long started = Stopwatch.GetTimestamp();
        // One encode for every viewer here: the quality the laggiest of them allows.
        double roundTrip = 0;
        foreach (Viewer viewer in viewers)
        {
            roundTrip = Math.Max(roundTrip, viewer.RoundTripMs);
        }
        _quality.ForLag(roundTrip);
        _encoder.Encode(_source.Frame, _source.Stride, rects, update, new EncodeSettings(_quality, Lossless: refresh));
        _meter.Encoded(update, started, viewers.Count, refresh);
        long frameId = Interlocked.Increment(ref _frameId);
        var messageRects = new RectMessage[update.Count];
        for (int i = 0; i < update.Count; i++)
        {
            EncodedRect e = update[i];
            messageRects[i] = new RectMessage(e.Rect.X, e.Rect.Y, e.Rect.Width, e.Rect.Height, (byte)e.Kind,
                new ArraySegment<byte>(e.Buffer, 0, e.Length));
        }
        var message = new UpdateMessage(frameId, messageRects, _quality.Lowest, refresh);
        long bytes = update.TotalBytes;
        _connectionIds.Clear();
        foreach (Viewer viewer in viewers)
        {
            viewer.Sent(frameId, bytes);
            TrackLossy(viewer, update);
            if (refresh)
            {
                viewer.RefreshSent(bytes);
            }
            _connectionIds.Add(viewer.ConnectionId);
        }
        // One send for all: SignalR serializes the message once (a SerializedHubMessage per protocol)
        // and writes the same bytes to every connection, instead of once per viewer. The list is read
        // before SendAsync returns.
        IClientProxy clients = viewers.Count == 1 ? _hub.Clients.Client(_connectionIds[0]) : _hub.Clients.Clients(_connectionIds);
        Task sent = clients.SendAsync(ConsoleClientMethods.Update, message);
        if (sent.IsCompletedSuccessfully)
        {
            update.Dispose();
        }
        else
        {
            // A write still queued holds the encoded buffers; they go back when it completes. A write
            // that fails means a connection that is closing: its viewer leaves with it.
            sent.ContinueWith(static (_, state) => ((EncodedUpdate)state!).Dispose(), update,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        LogUpdateSent(Id, frameId, rects.Count, viewers.Count);
    }

    /// <summary>JPEG parts make their tiles due for a refresh; lossless parts settle the tiles they cover.</summary>
    private static void TrackLossy(Viewer viewer, EncodedUpdate update)
    {
        foreach (EncodedRect part in update.Rects)
        {
            if (part.Kind == RectKind.Jpeg)
            {
                viewer.Lossy.Mark(part.Rect);
            }
            else
            {
                viewer.Lossy.Clear(part.Rect);
            }
        }
    }

    private bool AnyLossy()
    {
        if (_refreshAfter == TimeSpan.Zero)
        {
            return false;
        }
        foreach (Viewer viewer in _viewers.Values)
        {
            if (!viewer.Lossy.IsEmpty)
            {
                return true;
            }
        }
        return false;
    }

    private bool AnyViewerHasRoom()
    {
        foreach (Viewer viewer in _viewers.Values)
        {
            if (viewer.InFlight < _options.MaxUpdatesInFlight)
            {
                return true;
            }
        }
        return false;
    }

    private bool AnyPending()
    {
        foreach (Viewer viewer in _viewers.Values)
        {
            if (!viewer.Pending.IsEmpty || viewer.NeedsResize)
            {
                return true;
            }
        }
        return false;
    }

    internal static string StateName(RegionStatus status) => status switch
    {
        RegionStatus.Ready => "ready",
        RegionStatus.Invalid => "invalid",
        _ => "waiting",
    };

    public void Dispose()
    {
        _disposed = true;
        _meter.Dispose(); // the console's metric series go with it
        _wake.Set();
        _source.Wake();
        _source.Interrupt(); // a loop stuck on a silent peer returns now
        Thread? loop = _loop;
        bool stopped = loop is null || loop.Join(StopWait);
        if (!_gate.TryEnter(StopWait))
        {
            LogStuckAtStop(Id);
            return; // the source stays with the thread stuck in it; the process is stopping or moves on
        }
        try
        {
            _source.Dispose();
            _encoder.Dispose();
            _detector.Release(); // its shadow frame is memory of its own: no collector would give it back
        }
        finally
        {
            _gate.Exit();
        }
        if (stopped)
        {
            _wake.Dispose();
        }
    }
}
