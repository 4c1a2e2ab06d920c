using WebConsole.Region;

namespace WebConsole.Sources.X11;

/// <summary>
/// X DAMAGE for a source that reads its pixels elsewhere (Xvfb's <c>-fbdir</c> file or
/// <c>-shmem</c> segment): a connection of its own to the console's X display that says when and
/// where the screen changed, so the source sleeps until something is drawn and reads only those
/// rows. When the display cannot be reached or has no DAMAGE the source polls, and this says so
/// once; it tries again at most once a second and a fresh connection asks for one full read
/// (whatever changed while nobody was watching).
/// </summary>
internal sealed partial class X11DamageWatch(string display, TimeProvider time, ILogger logger) : IDisposable
{
    private const int MaxRects = 64;
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly ILogger _logger = logger;
    private readonly PeerDeadline _deadline = new(time);
    private X11Connection? _x;
    private X11Damage? _damage;
    private long _lastAttempt = long.MinValue;
    private bool _pending = true;
    private string? _loggedFallback;

    /// <summary>Damage is being reported: the source may wait on <see cref="Wait"/> and read only what <see cref="Take"/> gives.</summary>
    public bool Active => _damage is not null && _x is { HasFailed: false };

    /// <summary>
    /// Connects if not connected (at most once a second); true when damage is reported.
    /// <paramref name="fresh"/>: the connection is new, so the caller reads everything once.
    /// </summary>
    public bool Ensure(out bool fresh)
    {
        fresh = false;
        if (_x is not null && _x.HasFailed)
        {
            Drop();
            Fallback("the X server closed the connection");
        }
        if (_x is not null)
        {
            return _damage is not null;
        }
        long now = time.GetTimestamp();
        if (_lastAttempt != long.MinValue && time.GetElapsedTime(_lastAttempt, now) < RetryAfter)
        {
            return false;
        }
        _lastAttempt = now;
        X11Connection? x = X11Connection.TryOpen(display, _deadline, X11Source.PeerTimeout, out string? reason);
        if (x is null)
        {
            Fallback(reason!);
            return false;
        }
        _deadline.Arm("DAMAGE setup", X11Source.PeerTimeout);
        X11Damage? damage;
        try
        {
            damage = X11Damage.TryCreate(x);
        }
        finally
        {
            _deadline.Disarm();
        }
        _x = x;
        if (damage is null)
        {
            Fallback("the X server has no DAMAGE extension");
            return false;
        }
        _damage = damage;
        x.Flush();
        _pending = true;
        _loggedFallback = null;
        LogDamageActive(display);
        fresh = true;
        return true;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for damage (or a broken connection).</summary>
    public void Wait(TimeSpan timeout, WakeFd? wake = null)
    {
        if (_pending || _x is null || _x.Wait(timeout, wake))
        {
            return;
        }
    }

    /// <summary>Shuts the X server's socket down (any thread): the console is stopping.</summary>
    public void Interrupt() => _deadline.Interrupt();

    /// <summary>
    /// The damaged rectangles since the last call, clipped to the frame, into <paramref name="rects"/>
    /// (none when nothing was drawn). False when the connection broke: the caller polls and reads
    /// everything.
    /// </summary>
    public bool Take(List<PixelRect> rects, int width, int height)
    {
        if (_x is null || _damage is null)
        {
            return false;
        }
        X11Events events = _x.Pump();
        if (events.Damaged || _pending)
        {
            _pending = false;
            bool taken;
            _deadline.Arm("DAMAGE", X11Source.PeerTimeout);
            try
            {
                taken = _damage.Take(rects, width, height, MaxRects);
            }
            finally
            {
                _deadline.Disarm();
            }
            if (!taken)
            {
                Drop();
                Fallback("the X server closed the connection");
                return false;
            }
        }
        if (_x.HasFailed)
        {
            Drop();
            Fallback("the X server closed the connection");
            return false;
        }
        return true;
    }

    /// <summary>
    /// More drawing has been reported since the last <see cref="Take"/>, or is within
    /// <paramref name="wait"/>: a read just made may mix two moments.
    /// </summary>
    public bool MoreDamagePending(TimeSpan wait) => _x is not null && _damage is not null && _x.Wait(wait);

    private void Fallback(string reason)
    {
        if (_loggedFallback != reason)
        {
            _loggedFallback = reason;
            LogPolling(display, reason);
        }
    }

    private void Drop()
    {
        _damage = null;
        _x?.Dispose();
        _x = null;
    }

    public void Dispose()
    {
        Drop();
        _deadline.Dispose();
    }
}
