using System.Diagnostics;
using WebConsole.Capture;
using WebConsole.Encoding;
using WebConsole.Hosting;
using WebConsole.Hubs;
using WebConsole.Region;
using WebConsole.Sources;
using WebConsole.Telemetry;

namespace WebConsole.Streaming;

/// <summary>
/// A console's capture loop, on its own thread only while somebody watches: each pass waits for the
/// source (request + futex), finds the tiles that really changed, encodes them once for every viewer
/// in step, and lets the damage of slower viewers merge into their pending tiles until they
/// acknowledge. Its start (<see cref="EnsureStarted"/>) and its stop (<see cref="Dispose"/>) are here.
/// </summary>
internal sealed partial class CaptureLoop : IDisposable
{
    // A still screen: the loop sleeps on the source this long at most; joins, acks and viewers
    // leaving wake it (IFramebufferSource.Wake), so waiting longer costs no latency.
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan BusyWait = TimeSpan.FromMilliseconds(10);
    /// <summary>How long a stop waits for a capture loop to leave the source.</summary>
    public static readonly TimeSpan StopWait = TimeSpan.FromSeconds(2);

    private readonly string _id;
    private readonly GatedSource _gated;
    private readonly IFramebufferSource _source;
    private readonly ViewerSet _viewers;
    private readonly StreamingOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _loopGate = new();
    // A kernel-backed auto-reset event: the loop blocks at once instead of spinning first
    // (SemaphoreSlim's spin showed as a large share of the server's CPU at 60 Hz).
    private readonly AutoResetEvent _wake = new(false);
    private readonly ChangeDetector _detector = new();
    private readonly ILoggerFactory _loggers;
    // Made at the first encode and given back when the last viewer leaves: its helper threads and
    // per-thread encoders are a watched console's cost, not an idle one's.
    private FrameEncoder? _encoder;
    private readonly ConsoleMeter _meter;
    private readonly List<PixelRect> _changed = new(256);
    private readonly List<PixelRect> _fullFrame = new(64);
    private readonly List<Viewer> _inStep = new(8);
    private readonly CatchUpGroups _groups = new();
    private readonly CursorRelay _cursor = new();
    private readonly UpdatePacer _pacer;
    private readonly ChangeHeat _heat;
    private readonly AdaptiveQuality _quality;
    private readonly LosslessRefresh _refresh;
    private readonly TimeProvider _time;
    private volatile VersionedCursor? _cursorNow;
    private long _cursorVersion;
    private Thread? _loop;
    private volatile bool _disposed;
    private long _frameId;
    private int _width, _height;

    public CaptureLoop(string id, GatedSource gated, ViewerSet viewers, StreamingOptions options, ILogger logger,
        ILoggerFactory loggers, ConsoleMeter meter, TimeProvider time)
    {
        _id = id;
        _gated = gated;
        _source = gated.Source;
        _viewers = viewers;
        _options = options;
        _logger = logger;
        _loggers = loggers;
        _meter = meter;
        _pacer = new UpdatePacer(time, _options.MaxFramesPerSecond);
        _time = time;
        _heat = new ChangeHeat(time);
        _quality = new AdaptiveQuality(_heat, _options.JpegQuality, Math.Min(_options.MinJpegQuality, _options.JpegQuality));
        _refresh = new LosslessRefresh(time, _heat, _options.RefreshAfterMs);
    }

    /// <summary>Nobody watches and the console is not stopped: requests poll the source themselves.</summary>
    public bool Unwatched => _loop is null && !_disposed;

    public bool Stopped => _disposed;

    /// <summary>The last update's number; a successor carries it on.</summary>
    public long FrameId
    {
        get => Interlocked.Read(ref _frameId);
        set => Interlocked.Exchange(ref _frameId, value);
    }

    /// <summary>Wakes the loop; a burst of acks wakes it once, so pacing still holds.</summary>
    public void Wake()
    {
        if (_disposed)
        {
            return;
        }
        _wake.Set();
        _source.Wake(); // the loop may be asleep in the source's wait
    }

    /// <summary>Starts the capture loop unless it runs; true when it started it.</summary>
    public bool EnsureStarted()
    {
        lock (_loopGate)
        {
            if (_loop is not null || _disposed)
            {
                return false;
            }
            // Started before it is published: Dispose joins whatever thread it sees (joining one
            // not yet started throws, and the session's source was then never disposed).
            var loop = new Thread(Run) { IsBackground = true, Name = $"capture {_id}" };
            loop.Start();
            _loop = loop;
            return true;
        }
    }

    /// <summary>
    /// Sends the current cursor to a viewer that just came, unless the loop's relay has already given
    /// it this version (a join and the loop's first pass race: each cursor reaches a viewer once).
    /// </summary>
    public void SendCursorTo(string connectionId)
    {
        VersionedCursor? now = _cursorNow; // not under the lock: a loop stuck in the source holds it
        if (now is not null && _viewers.TryGet(connectionId, out Viewer? viewer) && viewer.TakeCursorVersion(now.Version) < now.Version)
        {
            _viewers.SendTo(connectionId, ConsoleClientMethods.Cursor, now.Message);
        }
    }

    /// <summary>
    /// Stops the loop and releases the source, the encoder and the shadow frame; a source stuck on its
    /// peer past <see cref="StopWait"/> stays with the thread stuck in it.
    /// </summary>
    public void Dispose()
    {
        _disposed = true;
        _meter.Dispose(); // the console's metric series go with it
        _wake.Set();
        _source.Wake();
        _source.Interrupt(); // a loop stuck on a silent peer returns now
        // Under the start lock when it can be had (a loop stuck in its source may hold it): an
        // EnsureStarted in progress either sees _disposed or has published its started thread.
        Thread? loop;
        bool locked = _loopGate.TryEnter(StopWait);
        try
        {
            loop = _loop;
        }
        finally
        {
            if (locked)
            {
                _loopGate.Exit();
            }
        }
        bool stopped = loop is null || loop.Join(StopWait);
        if (!_gated.Gate.TryEnter(StopWait))
        {
            LogStuckAtStop(_id);
            return; // the source stays with the thread stuck in it; the process is stopping or moves on
        }
        try
        {
            _source.Dispose();
            _encoder?.Dispose();
            _detector.Release(); // its shadow frame is memory of its own: no collector would give it back
        }
        finally
        {
            _gated.Gate.Exit();
        }
        if (stopped)
        {
            _wake.Dispose();
        }
    }

    private void Run()
    {
        LogCaptureStarted(_id);
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
                if (!_viewers.AnyHasRoom(_options.MaxUpdatesInFlight))
                {
                    // Nobody can take an update: do not capture, the damage keeps in the region.
                    _wake.WaitOne(IdleWait);
                    continue;
                }
                lock (_gated.Gate)
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
                _source.WaitForUpdate(_viewers.AnyPending() || _refresh.AnyDue(_viewers) ? BusyWait : IdleWait);
                long started = _time.GetTimestamp();
                lock (_gated.Gate)
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
            LogCaptureFailed(e, _id);
            lock (_loopGate)
            {
                ReleaseBuffers();
                _loop = null;
            }
        }
        LogCaptureStopped(_id);
    }

    /// <summary>
    /// The last viewer left: the frame, the raw copies and the shadow go back to the system, so an
    /// unwatched console costs no frame memory (the next viewer gets a whole frame read afresh).
    /// </summary>
    private void ReleaseBuffers()
    {
        lock (_gated.Gate)
        {
            _source.ReleaseFrame();
            _detector.Release();
            _encoder?.Dispose();
            _encoder = null;
            _width = _height = 0;
        }
    }

    /// <summary>One pass over the source; true when it had new pixels (the loop paces those passes, not the empty ones).</summary>
    private bool Capture()
    {
        RegionChange change = _gated.Poll();
        RelayCursor();
        if ((change & RegionChange.Status) != 0)
        {
            var state = new StateMessage(ConsoleSession.StateName(_source.Status), _source.Reason);
            LogSourceState(_id, state.State, state.Reason);
            _viewers.SendToAll(ConsoleClientMethods.State, state);
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
            foreach (Viewer viewer in _viewers.All)
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
        foreach (Viewer viewer in _viewers.All)
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

    private void RelayCursor()
    {
        CursorMessage? changed = _cursor.Update(_source);
        if (changed is null)
        {
            return;
        }
        long version = ++_cursorVersion;
        CursorMessage whole = _cursor.Current!;
        _cursorNow = new VersionedCursor(version, whole);
        foreach (Viewer viewer in _viewers.All)
        {
            long had = viewer.TakeCursorVersion(version);
            if (had < version)
            {
                // The change alone to a viewer that has the version before it; the whole cursor to one that has less.
                _viewers.SendTo(viewer.ConnectionId, ConsoleClientMethods.Cursor, had == version - 1 ? changed : whole);
            }
        }
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
        _inStep.Clear();
        foreach (Viewer viewer in _viewers.All)
        {
            if (viewer.InFlight >= _options.MaxUpdatesInFlight)
            {
                continue;
            }
            if (viewer.NeedsResize)
            {
                EnsurePendingSize(viewer);
                viewer.Pending.MarkAll();
                _viewers.SendTo(viewer.ConnectionId, ConsoleClientMethods.Resize, new ResizeMessage(_width, _height));
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
            viewer.Pending.TakeRects(_groups.Pending);
            _groups.Join(viewer);
        }
        if (fullRepaint)
        {
            Send(_inStep, _fullFrame);
        }
        bool caughtUp = _groups.Count > 0;
        SendGroups(refresh: false);
        return fullRepaint || caughtUp;
    }

    /// <summary>Viewers due a lossless refresh slice get it (<see cref="LosslessRefresh"/>).</summary>
    private void ServeRefresh()
    {
        if (_width == 0 || !_refresh.Enabled)
        {
            return;
        }
        _refresh.CollectDue(_viewers, _groups);
        SendGroups(refresh: true);
    }

    private void SendGroups(bool refresh)
    {
        for (int g = 0; g < _groups.Count; g++)
        {
            Send(_groups.Viewers(g), _groups.Rects(g), refresh);
        }
        _groups.Clear();
    }

    private void EnsurePendingSize(Viewer viewer)
    {
        if (viewer.NeedsResize)
        {
            viewer.Pending.Reset(_width, _height);
            viewer.Lossy.Reset(_width, _height);
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
        _encoder ??= new FrameEncoder(_loggers.CreateLogger<FrameEncoder>(), _options.JpegQuality);
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
        foreach (Viewer viewer in viewers)
        {
            viewer.Sent(frameId, bytes);
            LosslessRefresh.Track(viewer, update);
            if (refresh)
            {
                viewer.RefreshSent(bytes);
            }
        }
        Task sent = _viewers.SendUpdate(viewers, message);
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
        LogUpdateSent(_id, frameId, rects.Count, viewers.Count);
    }

    /// <summary>The whole cursor as of relay <see cref="Version"/>, for viewers that join.</summary>
    private sealed record VersionedCursor(long Version, CursorMessage Message);
}
