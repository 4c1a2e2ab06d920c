using WebConsole.Region;
using WebConsole.Sources.Clipboard;

namespace WebConsole.Sources.Qemu;

/// <summary>
/// A QEMU console over its D-Bus display. A connection thread walks waiting -> connected -> ready
/// and back: it connects (QMP hand-over or bus), registers a listener on a fresh socketpair and
/// serves QEMU's calls on it into a <see cref="QemuSurface"/>; when QEMU exits or restarts it
/// reconnects with a backoff (250 ms doubling to 5 s; the status line, not the log, shows each try).
/// Damage comes from QEMU's Update/UpdateMap rectangles, never from a full-frame diff.
/// </summary>
/// <remarks>
/// Like every source, <see cref="Poll"/> and the frame are for the one capture loop;
/// <see cref="TrySendInput"/> may be called from any thread and never blocks on QEMU.
/// </remarks>
public sealed partial class QemuSource : IFramebufferSource
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RejectionLogInterval = TimeSpan.FromSeconds(10);
    private const int RejectionsLoggedPerInterval = 5;
    private static readonly TimeSpan MinRegistrationInterval = TimeSpan.FromMilliseconds(250);

    private readonly QemuSourceTarget _target;
    private readonly string _name;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly QemuSurface _surface;
    private readonly List<PixelRect> _damage = new(QemuSurface.MaxDamageRects);
    private readonly AutoResetEvent _wake = new(false);
    private readonly AutoResetEvent _stale = new(false);
    private readonly ManualResetEventSlim _stopping = new(false);
    private readonly Lock _stateGate = new();
    private readonly Thread _thread;
    private readonly long _maxBody;
    private readonly bool _offerMap;
    private readonly TimeSpan _peerTimeout;
    private readonly QemuPeerAbort _abort = new();
    private readonly QemuClipboard _clipboard;
    private readonly IQemuGraphicsOpener? _graphics;
    private volatile QemuDisplayConnection? _display;
    private volatile QemuListener? _listener;
    private string _connectionReason;
    private bool _connected;
    private long _rejections, _inputDrops;
    private long _rejectionWindowStart;
    private int _rejectionsInWindow;
    private volatile bool _disposed;

    /// <summary>True once disposed: its console left the set (its metric series go).</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Shows the console <paramref name="target"/> names; frames over <paramref name="maxPixels"/> are refused.</summary>
    public QemuSource(QemuSourceTarget target, long maxPixels, TimeProvider time, ILogger<QemuSource> logger)
        : this(target, new PixelBudget(maxPixels, maxPixels), offerMap: true, time, logger)
    {
    }

    /// <summary>Shows the console <paramref name="target"/> names; its modes are reserved from <paramref name="budget"/> (shared with the other consoles).</summary>
    public QemuSource(QemuSourceTarget target, PixelBudget budget, TimeProvider time, ILogger<QemuSource> logger)
        : this(target, budget, offerMap: true, time, logger)
    {
    }

    /// <summary>As above; clipboard texts over <paramref name="clipboardMaxBytes"/> (UTF-8) are refused either way.</summary>
    public QemuSource(QemuSourceTarget target, PixelBudget budget, int clipboardMaxBytes, TimeProvider time, ILogger<QemuSource> logger)
        : this(target, budget, offerMap: true, time, logger, clipboardMaxBytes: clipboardMaxBytes)
    {
    }

    internal QemuSource(QemuSourceTarget target, long maxPixels, bool offerMap, TimeProvider time, ILogger<QemuSource> logger)
        : this(target, new PixelBudget(maxPixels, maxPixels), offerMap, time, logger)
    {
    }

    /// <param name="peerTimeout">How long QMP, the bus or QEMU may take to answer any one step (5 s unless a test says otherwise).</param>
    /// <param name="clipboardMaxBytes">Largest clipboard text either way, in UTF-8 bytes (<c>Clipboard:MaxBytes</c>).</param>
    internal QemuSource(QemuSourceTarget target, PixelBudget budget, bool offerMap, TimeProvider time, ILogger<QemuSource> logger,
        TimeSpan? peerTimeout = null, int clipboardMaxBytes = ClipboardOptions.DefaultMaxBytes, IQemuGraphicsOpener? graphics = null)
    {
        _graphics = graphics;
        _peerTimeout = peerTimeout ?? ConnectTimeout;
        long maxPixels = budget.PerConsole;
        _target = target;
        _name = target.ToString();
        _time = time;
        _logger = logger;
        _offerMap = offerMap;
        _surface = new QemuSurface(budget);
        _clipboard = new QemuClipboard(clipboardMaxBytes, time, Reject, _peerTimeout);
        _surface.Changed += () => _wake.Set();
        _surface.StaleSuspected += () => _stale.Set();
        // A whole frame in the widest format QEMU uses, plus room for the header: nothing larger is buffered.
        _maxBody = maxPixels * 4 + 4096;
        _connectionReason = $"waiting for producer: connecting to {Describe(target)}";
        Reason = _connectionReason;
        _thread = new Thread(ConnectionLoop) { IsBackground = true, Name = $"qemu {target}" };
        _thread.Start();
    }

    public RegionStatus Status { get; private set; } = RegionStatus.Waiting;

    public string? Reason { get; private set; }

    public int Width => _surface.Width;

    public int Height => _surface.Height;

    public ReadOnlyMemory<byte> Frame => _surface.Frame;

    public int Stride => _surface.Width * 4;

    public IReadOnlyList<PixelRect> Damage => _damage;

    /// <summary>"map" (QEMU 10's shared memfd, damage only on the socket), "inline" (pixels in every message) or "none".</summary>
    public string Transport => _surface.Transport;

    /// <summary>Pixel bytes received inside Scanout/Update messages (0 on the map path after ScanoutMap).</summary>
    public long InlinePixelBytes => _surface.InlineBytes;

    /// <summary>Update messages with inline pixels.</summary>
    public long InlineUpdates => _surface.InlineUpdates;

    /// <summary>UpdateMap messages (damage only).</summary>
    public long MapUpdates => _surface.MapUpdates;

    /// <summary>Bytes received on the listener socket (headers included) by the current connection.</summary>
    public long ListenerBytes => _listener?.BytesReceived ?? 0;

    /// <summary>Messages from QEMU refused (bad signature, sizes, descriptors, unknown methods...).</summary>
    public long Rejections => Interlocked.Read(ref _rejections);

    /// <summary>Input events dropped (queue full, not connected, key without a QEMU number).</summary>
    public long InputDrops => Interlocked.Read(ref _inputDrops);

    /// <summary>
    /// QEMU's org.qemu.Display1.Clipboard: both ways once a guest agent has shown itself (QEMU's
    /// qemu-vdagent chardev with <c>clipboard=on</c> and the guest's spice-vdagent), none with a
    /// reason before that; survives reconnects.
    /// </summary>
    public IGuestClipboard Clipboard => _clipboard;

    /// <summary>The clipboard with its counters, for tests and metrics.</summary>
    internal QemuClipboard QemuClipboard => _clipboard;

    /// <summary>Whether the connection thread still runs (false soon after <see cref="Dispose"/>).</summary>
    internal bool ConnectionThreadAlive => _thread.IsAlive;

    /// <summary>The console this source shows.</summary>
    public QemuSourceTarget Target => _target;

    public void WaitForUpdate(TimeSpan maxWait)
    {
        if (!_disposed)
        {
            _wake.WaitOne(maxWait);
        }
    }

    public void Wake()
    {
        try
        {
            _wake.Set();
        }
        catch (ObjectDisposedException)
        {
            // Woken while it stops: nothing waits any more.
        }
    }

    public RegionChange Poll()
    {
        RegionStatus oldStatus = Status;
        string? oldReason = Reason;
        RegionChange change = _surface.Poll(_damage);
        string reason;
        bool connected;
        lock (_stateGate)
        {
            reason = _connectionReason;
            connected = _connected;
        }
        if (connected && _surface.Width > 0)
        {
            Status = RegionStatus.Ready;
            Reason = null;
        }
        else if (connected && _surface.SurfaceError is string refused)
        {
            Status = RegionStatus.Invalid;
            Reason = $"invalid qemu display: {refused}";
        }
        else
        {
            Status = RegionStatus.Waiting;
            Reason = connected ? "waiting for producer: connected to QEMU, waiting for its first frame" : reason;
        }
        if (Status != oldStatus || Reason != oldReason)
        {
            change |= RegionChange.Status;
        }
        return change;
    }

    public void ReleaseFrame() => _surface.ReleaseFront();

    public bool TrySendInput(in InputEvent e)
    {
        QemuDisplayConnection? display = _display;
        if (display is null || !display.TrySendInput(e))
        {
            Interlocked.Increment(ref _inputDrops);
            return false;
        }
        return true;
    }

    public bool TryGetCursor(out CursorState cursor, out ReadOnlySpan<byte> image)
    {
        cursor = _surface.Cursor;
        image = _surface.CursorImage;
        return Status == RegionStatus.Ready && cursor.Serial != 0;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _stopping.Set();
        // Every socket the connection thread may be waiting on is shut down: whatever the peers do
        // (silent, half a message, a full send buffer), its read, poll or call returns now.
        _abort.Abort();
        _thread.Join(TimeSpan.FromSeconds(5));
        // The wake events stay undisposed: a capture loop or a late listener may still touch them.
        _surface.Dispose();
    }

    private void ConnectionLoop()
    {
        TimeSpan backoff = MinBackoff;
        string? lastLogged = null;
        while (!_disposed)
        {
            bool wasReady = false;
            try
            {
                wasReady = ServeOnce();
            }
            catch (IOException e)
            {
                SetReason($"waiting for producer: {e.Message}");
                if (e.Message != lastLogged)
                {
                    LogWaiting(_name, e.Message);
                    lastLogged = e.Message;
                }
            }
            catch (Exception e) when (!_disposed)
            {
                LogConnectionFailed(e, _name);
                SetReason($"waiting for producer: {e.Message}");
            }
            if (wasReady)
            {
                backoff = MinBackoff;
                lastLogged = null;
            }
            if (_stopping.Wait(backoff))
            {
                break;
            }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    /// <summary>One connection's life; true when QEMU had shown a frame on it.</summary>
    private bool ServeOnce()
    {
        // The display connection also carries the guest's clipboard text (Request's answer).
        QemuDisplayConnection display = QemuDisplayConnection.Open(_target, _peerTimeout, Math.Max(64 * 1024, _clipboard.MaxReplyBody), _abort, _graphics);
        display.Rejected += Reject;
        display.InputDropped += DropInput;
        long scanouts = _surface.Scanouts;
        QemuListenerRun? run = null;
        try
        {
            run = Register(display);
            _display = display;
            lock (_stateGate)
            {
                _connected = true;
            }
            LogConnected(_name, display.IsAbsolute);
            _wake.Set();
            _clipboard.Attach(display);
            LogClipboard(_name, _clipboard.Reason ?? "both ways");
            long registered = _time.GetTimestamp();
            WaitHandle[] events = [run.Ended, _stale, _stopping.WaitHandle, display.Closed];
            while (true)
            {
                int which = WaitHandle.WaitAny(events);
                if (which == 2 || _disposed)
                {
                    return false;
                }
                if (which is 0 or 3)
                {
                    string why = which == 0 ? run.EndReason! : display.ClosedReason!;
                    LogDisconnected(_name, why);
                    SetReason($"waiting for producer: QEMU went away ({why})");
                    return _surface.Scanouts > scanouts;
                }
                // At most four new registrations a second, whatever QEMU does to provoke them.
                TimeSpan since = _time.GetElapsedTime(registered);
                if (since < MinRegistrationInterval && _stopping.Wait(MinRegistrationInterval - since))
                {
                    return false;
                }
                (uint width, uint height) = display.ReadSize(_peerTimeout);
                (int shownWidth, int shownHeight) = _surface.SurfaceSize;
                if (width != shownWidth || height != shownHeight)
                {
                    // QEMU 7.2 switched surfaces without a Scanout: a new listener gets a fresh one.
                    LogStaleScanout(_name, shownWidth, shownHeight, width, height);
                    run.Dispose();
                    run = Register(display);
                    events[0] = run.Ended;
                    registered = _time.GetTimestamp();
                }
            }
        }
        finally
        {
            lock (_stateGate)
            {
                _connected = false;
            }
            _display = null;
            _clipboard.Detach(display);
            run?.Dispose();
            _surface.Disable();
            display.Dispose();
            _wake.Set();
        }
    }

    private QemuListenerRun Register(QemuDisplayConnection display)
    {
        int error = QemuNative.SocketPair(out int ours, out int theirs);
        if (error != 0)
        {
            throw new IOException($"socketpair failed: errno {error}");
        }
        var listener = new QemuListener(ours, _surface, _offerMap, _maxBody, _abort);
        listener.Rejected += Reject;
        try
        {
            display.RegisterListener(theirs, _peerTimeout);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        finally
        {
            QemuNative.Close(theirs);
        }
        _listener = listener;
        return new QemuListenerRun(listener, _peerTimeout, _name);
    }

    private void SetReason(string reason)
    {
        lock (_stateGate)
        {
            _connectionReason = reason;
        }
        _wake.Set();
    }

    private void Reject(string reason)
    {
        Interlocked.Increment(ref _rejections);
        long now = _time.GetTimestamp();
        bool log;
        int suppressed = 0;
        lock (_stateGate)
        {
            if (_time.GetElapsedTime(_rejectionWindowStart, now) > RejectionLogInterval)
            {
                suppressed = Math.Max(0, _rejectionsInWindow - RejectionsLoggedPerInterval);
                _rejectionWindowStart = now;
                _rejectionsInWindow = 0;
            }
            log = ++_rejectionsInWindow <= RejectionsLoggedPerInterval;
        }
        if (suppressed > 0)
        {
            LogRejectionsSuppressed(_name, suppressed);
        }
        if (log)
        {
            LogRejected(_name, reason);
        }
    }

    private void DropInput(string reason)
    {
        Interlocked.Increment(ref _inputDrops);
        Reject($"input dropped: {reason}");
    }

    private static string Describe(QemuSourceTarget target) =>
        target.Route switch
        {
            QemuRoute.Qmp => $"QMP socket {target.Address}",
            QemuRoute.Libvirt => $"libvirt domain {target.Address}",
            _ => $"bus {target.Address}",
        };
}
