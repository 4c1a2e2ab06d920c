using WebConsole.Region;
using WebConsole.Sources.Clipboard;

namespace WebConsole.Sources.X11;

/// <summary>
/// Any local X server's screen (<c>x11::99</c>, <c>x11::99.1</c>): Xorg with the dummy driver,
/// Xvnc, Xephyr, a rootful Xwayland or Xvfb without <c>-fbdir</c>/<c>-shmem</c>. DAMAGE says
/// what changed, MIT-SHM (else GetImage) reads those rectangles, a root ConfigureNotify (RandR)
/// resizes, XTEST takes input and XFixes gives the cursor, which X servers leave out of the image.
/// </summary>
/// <remarks>
/// Without DAMAGE the whole screen is read on the pace of a <see cref="PollPacer"/> and compared
/// with the last read, as the xwd source does. A server that is not there yet, exits or restarts
/// makes the source wait and try again (at most twice a second), then show the new server by
/// itself. Not thread-safe apart from <see cref="TrySendInput"/>, like every source.
/// </remarks>
public sealed partial class X11Source : PolledSource, IFramebufferSource
{
    private const int MaxRects = 64;
    private const int MaxRereads = 3;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(30);
    /// <summary>How long the X server may take over one step (the connection setup, a reply) before the console gives up on it.</summary>
    internal static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PointerEvery = TimeSpan.FromMilliseconds(33); // its moves damage nothing: asked for

    private readonly string _display;
    private readonly IGuestClipboard? _clipboard;
    private readonly XTestInput _input;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<PixelRect> _damaged = new(MaxRects);
    private readonly X11Cursor _cursor = new();
    private readonly PeerDeadline _deadline;
    private TimeSpan _retryAfter = FirstRetry;
    private X11Connection? _x;
    private X11Damage? _damage;
    private X11ImageReader? _reader;
    private bool _hasCursor;
    private bool _cursorChanged;
    private bool _needFullRead;
    private long _lastAttempt = long.MinValue;
    private long _lastPointer = long.MinValue;
    private string? _lastProblem;

    /// <summary>
    /// The screen of X display <paramref name="display"/> (<c>:99</c>, <c>:99.1</c>); <paramref name="clipboard"/>
    /// (owned by the source from here) is its selections as the guest's clipboard.
    /// </summary>
    public X11Source(string display, TimeProvider time, ILogger<X11Source> logger, ILogger<XTestInput> inputLogger, PixelBudget? budget = null,
        IGuestClipboard? clipboard = null)
        : base(display, "x11", time, budget)
    {
        _display = display;
        _clipboard = clipboard;
        _time = time;
        _logger = logger;
        _input = new XTestInput(display, time, inputLogger);
        _deadline = new PeerDeadline(time);
    }

    /// <summary>Whether DAMAGE drives the reads now (false: polling, or not connected).</summary>
    internal bool UsesDamage => _damage is not null && _x is { HasFailed: false };

    /// <summary>Whether pixels come through MIT-SHM now.</summary>
    internal bool UsesShm => _reader is { UsesShm: true };

    private protected override RegionChange PollCore()
    {
        try
        {
            RegionChange change = PollX();
            if (Status == RegionStatus.Ready)
            {
                _retryAfter = FirstRetry; // a whole pass answered: the next loss retries soon again
            }
            return change;
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException)
        {
            // An X server sending what its own sizes do not allow: drop it like a dead one, try again later.
            RegionChange change = RegionChange.None;
            Lost(ref change);
            SetWaiting($"waiting for X server: {_display} sent a malformed reply ({e.Message})");
            return change;
        }
    }

    private RegionChange PollX()
    {
        RegionChange change = RegionChange.None;
        if (_x is not null && _x.HasFailed)
        {
            Lost(ref change);
        }
        if (_x is null && !Connect(ref change))
        {
            return change;
        }
        X11Connection x = _x!;
        _deadline.Arm("a request", PeerTimeout);
        try
        {
            return PollConnected(x, change);
        }
        finally
        {
            _deadline.Disarm();
        }
    }

    private RegionChange PollConnected(X11Connection x, RegionChange change)
    {
        X11Events events = x.Pump();
        if (x.HasFailed)
        {
            Lost(ref change); // reading the events found the server gone
            return change;
        }
        if (events.Resized || _reader is null || Buffers.Width != x.Width || Buffers.Height != x.Height)
        {
            if (!Resize(x, ref change))
            {
                return change;
            }
        }
        if (_hasCursor && (events.CursorChanged || _cursorChanged))
        {
            _cursorChanged = false;
            _ = _cursor.Fetch(x);
        }
        TrackPointer(x);
        if (_damage is not null && !_needFullRead && Buffers.HasFrame)
        {
            _damaged.Clear();
            if (events.Damaged && !_damage.Take(_damaged, Buffers.Width, Buffers.Height, MaxRects))
            {
                return change; // broken: the next poll says so and reconnects
            }
            if (_damaged.Count > 0)
            {
                if (!ReadDamaged(x))
                {
                    _needFullRead = true; // a size change raced the read: take it all again
                    return change;
                }
                change |= RegionChange.Pixels;
            }
            SetReady();
            return change;
        }
        // A fresh connection, a new size, or no DAMAGE: the whole screen, compared with the last read.
        if (_damage is not null)
        {
            _damaged.Clear();
            _ = _damage.Take(_damaged, Buffers.Width, Buffers.Height, MaxRects); // what gathered before is in this read
        }
        if (!_reader!.Read(new PixelRect(0, 0, Buffers.Width, Buffers.Height), Buffers.Next, Buffers.RawStride))
        {
            return change;
        }
        _needFullRead = false;
        change |= TakeRead();
        SetReady();
        return change;
    }

    private void Lost(ref RegionChange change)
    {
        string? expired = _deadline.Expired;
        Disconnect();
        change |= DropFrame();
        if (expired is null)
        {
            LogDisconnected(_display);
            SetWaiting($"waiting for X server: {_display} closed the connection");
        }
        else
        {
            // It accepted and went silent: give up on it and try again later, less often each time.
            _lastAttempt = _time.GetTimestamp();
            string problem = $"X display {_display} did not answer {expired}";
            Once(problem);
            SetWaiting($"waiting for X server: {problem}; trying again in {Seconds(_retryAfter)}");
            BackOff();
        }
    }

    private void BackOff() => _retryAfter = TimeSpan.FromTicks(Math.Min(_retryAfter.Ticks * 2, LastRetry.Ticks));

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.#} s";

    /// <summary>
    /// Reads the damaged rectangles: with MIT-SHM their bounding box in one request, which the X
    /// server answers between two drawing requests, so the read is one moment of the screen. When
    /// more damage arrived meanwhile, or comes within the settle time after a large area (a client's
    /// image split into several requests, <see cref="DamageSettle"/>), it is taken and read again,
    /// at most <see cref="MaxRereads"/> times, so a frame is not sent half drawn.
    /// </summary>
    private bool ReadDamaged(X11Connection x)
    {
        for (int attempt = 0; ; attempt++)
        {
            if (_reader!.UsesShm)
            {
                if (!_reader.Read(Bounds(_damaged), Buffers.Raw, Buffers.RawStride))
                {
                    return false;
                }
            }
            else
            {
                foreach (PixelRect r in _damaged)
                {
                    if (!_reader.Read(r, Buffers.Raw, Buffers.RawStride))
                    {
                        return false;
                    }
                }
            }
            if (attempt == MaxRereads || !x.Wait(DamageSettle.After(_damaged, x.Layout.BytesPerPixel)))
            {
                break;
            }
            X11Events more = x.Pump();
            _cursorChanged |= more.CursorChanged; // kept for the next poll; a resize shows in x.Width/Height
            if (!more.Damaged || !_damage!.Take(_damaged, Buffers.Width, Buffers.Height, MaxRects))
            {
                break;
            }
        }
        foreach (PixelRect r in _damaged)
        {
            Buffers.ConvertRect(r);
            AddDamage(r);
        }
        return true;
    }

    private static PixelRect Bounds(List<PixelRect> rects)
    {
        PixelRect box = default;
        foreach (PixelRect r in rects)
        {
            box = box.Union(r);
        }
        return box;
    }

    private bool Connect(ref RegionChange change)
    {
        long now = _time.GetTimestamp();
        if (_lastAttempt != long.MinValue && _time.GetElapsedTime(_lastAttempt, now) < _retryAfter)
        {
            return false;
        }
        _lastAttempt = now;
        X11Connection? x = X11Connection.TryOpen(_display, _deadline, PeerTimeout, out string? reason);
        if (x is null)
        {
            if (_deadline.IsInterrupted)
            {
                SetWaiting("waiting for X server: the console is stopping");
                return false;
            }
            bool silent = _deadline.Expired is not null;
            SetWaiting(silent
                ? $"waiting for X server: {reason}; trying again in {Seconds(_retryAfter)}"
                : $"waiting for X server: {reason} (is it running?)");
            Once(reason!);
            if (silent)
            {
                _lastAttempt = _time.GetTimestamp(); // the wait counts from when it gave up
                BackOff();
            }
            return false;
        }
        _x = x;
        _deadline.Arm("the setup requests", PeerTimeout);
        try
        {
            return Watch(x);
        }
        finally
        {
            _deadline.Disarm();
        }
    }

    private bool Watch(X11Connection x)
    {
        if (!x.WatchRootSize())
        {
            Disconnect();
            SetWaiting($"waiting for X server: {_display} refused to report size changes");
            return false;
        }
        _damage = X11Damage.TryCreate(x);
        _hasCursor = X11Cursor.Watch(x) && _cursor.Fetch(x);
        x.Flush();
        _needFullRead = true;
        _lastProblem = null;
        LogConnected(_display, x.Width, x.Height, x.Depth, _damage is not null, x.HasShm, _hasCursor);
        if (_damage is null)
        {
            LogNoDamage(_display);
        }
        return true;
    }

    private bool Resize(X11Connection x, ref RegionChange change)
    {
        _reader?.Dispose();
        _reader = null;
        int rawStride = x.Width * x.Layout.BytesPerPixel;
        if (!TryResize(x.Width, x.Height, rawStride, x.Layout, ref change))
        {
            return false;
        }
        _reader = X11ImageReader.Create(x, x.Width, x.Height, out string? shmProblem);
        if (shmProblem is not null)
        {
            LogNoShm(_display, shmProblem);
        }
        _needFullRead = true;
        return true;
    }

    /// <summary>Where the pointer is, asked at most 30 times a second (its moves damage nothing).</summary>
    private void TrackPointer(X11Connection x)
    {
        if (!_hasCursor)
        {
            return;
        }
        long now = _time.GetTimestamp();
        if (_lastPointer != long.MinValue && _time.GetElapsedTime(_lastPointer, now) < PointerEvery)
        {
            return;
        }
        _lastPointer = now;
        if (x.TryQueryPointer(out int px, out int py))
        {
            _cursor.MoveTo(px, py);
        }
    }

    private protected override bool TryWaitForChange(TimeSpan maxWait)
    {
        if (!UsesDamage || _needFullRead)
        {
            return false;
        }
        _x!.Wait(maxWait, WakeSignal);
        return true;
    }

    /// <summary>Shuts the X server's socket down: a thread stuck on its reply returns, and no new connection is made.</summary>
    public override void Interrupt() => _deadline.Interrupt();

    public bool TryGetCursor(out CursorState cursor, out ReadOnlySpan<byte> image)
    {
        cursor = _cursor.State;
        image = _cursor.Image;
        return _hasCursor && Status == RegionStatus.Ready && cursor.Serial != 0;
    }

    private protected override void ForgetMode() => _needFullRead = true;

    /// <summary>The X server's CLIPBOARD (or PRIMARY, by <c>Clipboard:Selection</c>) selection, over a connection of its own.</summary>
    public IGuestClipboard? Clipboard => _clipboard;

    /// <summary>Passes the event to the X server through XTEST.</summary>
    public override bool TrySendInput(in InputEvent e)
    {
        if (Status != RegionStatus.Ready)
        {
            return false; // XTEST's own (Xlib) connection would block on a server that does not answer
        }
        Pacer.Activity();
        return _input.TrySend(e);
    }

    private void Once(string problem)
    {
        if (_lastProblem != problem)
        {
            _lastProblem = problem;
            LogWaiting(_display, problem);
        }
    }

    private void Disconnect()
    {
        _reader?.Dispose();
        _reader = null;
        _damage = null;
        _hasCursor = false;
        _x?.Dispose();
        _x = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Disconnect();
            (_clipboard as IDisposable)?.Dispose();
            _input.Dispose();
            _deadline.Dispose();
        }
        base.Dispose(disposing);
    }
}
