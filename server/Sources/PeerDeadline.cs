using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace WebConsole.Sources;

/// <summary>
/// A deadline on a peer that can stop answering (an X server that accepted and went silent): armed
/// around each exchange, it shuts the peer's socket down when the deadline passes, so a thread
/// blocked in a library's read (libxcb waits without a timeout) wakes up to a broken connection and
/// the source reports what did not answer. <see cref="Interrupt"/> does the same at once when the
/// console stops.
/// </summary>
/// <remarks>
/// The deadline keeps a descriptor of its own for the socket (a duplicate): the library may close
/// its descriptor at any time, and a shutdown through a closed, reused number would hit another
/// file. Thread-safe: armed by the capture thread, fired by a timer or by the thread stopping it.
/// </remarks>
internal sealed class PeerDeadline : IDisposable
{
    private const int DupFdCloexec = 1030; // F_DUPFD_CLOEXEC
    private readonly Lock _gate = new();
    private readonly ITimer _timer;
    private int _fd = -1;
    private bool _armed;
    private bool _interrupted;
    private string _stage = "";
    private TimeSpan _after;

    public PeerDeadline(TimeProvider time)
    {
        _timer = time.CreateTimer(static state => ((PeerDeadline)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>What did not answer when the deadline last passed ("the connection setup after 5 s"); null when it has not.</summary>
    public string? Expired { get; private set; }

    /// <summary>True once <see cref="Interrupt"/> was called: the source is stopping.</summary>
    public bool IsInterrupted
    {
        get
        {
            lock (_gate)
            {
                return _interrupted;
            }
        }
    }

    /// <summary>Watches the socket <paramref name="fd"/> (duplicated); false when the deadline is interrupted already (the socket is shut down).</summary>
    public bool Watch(int fd)
    {
        lock (_gate)
        {
            Unwatch();
            _fd = fcntl(fd, DupFdCloexec, 0);
            Expired = null;
            if (_interrupted)
            {
                ShutdownLocked();
                return false;
            }
            return true;
        }
    }

    /// <summary>The watched connection is closing: forget its socket.</summary>
    public void Release()
    {
        lock (_gate)
        {
            Disarm();
            Unwatch();
        }
    }

    /// <summary>Starts the clock for <paramref name="stage"/> (what is waited for, for the status line).</summary>
    public void Arm(string stage, TimeSpan after)
    {
        lock (_gate)
        {
            _stage = stage;
            _after = after;
            _armed = true;
        }
        _timer.Change(after, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Names what is waited for now, keeping the clock running.</summary>
    public void Stage(string stage)
    {
        lock (_gate)
        {
            _stage = stage;
        }
    }

    public void Disarm()
    {
        lock (_gate)
        {
            _armed = false;
        }
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Shuts the socket down now and refuses every later one: the console is stopping. Any thread.</summary>
    public void Interrupt()
    {
        lock (_gate)
        {
            _interrupted = true;
            ShutdownLocked();
        }
    }

    private void Fire()
    {
        lock (_gate)
        {
            if (_armed && _fd >= 0)
            {
                _armed = false;
                Expired = $"{_stage} after {_after.TotalSeconds:0.#} s";
                ShutdownLocked();
            }
        }
    }

    private void ShutdownLocked()
    {
        if (_fd >= 0)
        {
            _ = shutdown(_fd, SHUT_RDWR);
        }
    }

    private void Unwatch()
    {
        if (_fd >= 0)
        {
            WebConsole.Region.NativeFile.Close(_fd);
            _fd = -1;
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        Release();
    }
}
