using WebConsole.Region;

namespace WebConsole.Sources;

/// <summary>
/// A source that cannot say when it changed (an XWD file, a framebuffer device): looked at on the
/// pace of a <see cref="PollPacer"/>, each poll reads the raw pixels and reports only the band of
/// rows that differs from the last read.
/// </summary>
/// <remarks>
/// A derived source reads into <c>Buffers.Next</c> in <see cref="PollCore"/> and hands the read to
/// <see cref="TakeRead"/>; the buffers are pooled, so a poll allocates nothing. Not thread-safe,
/// like every source.
/// </remarks>
public abstract class PolledSource : IFramebufferSource
{
    private readonly List<PixelRect> _damage = new(1);
    private readonly string _invalidPrefix;
    private readonly PixelBudget _budget;
    private long _heldPixels;
    private readonly object _sleepGate = new();
    private int _wakeRequested;

    /// <summary>A source reading <paramref name="path"/>; <paramref name="kind"/> names it in an invalid status ("invalid xwd: ...").</summary>
    private protected PolledSource(string path, string kind, TimeProvider time, PixelBudget? budget)
    {
        _budget = budget ?? PixelBudget.Unlimited;
        Path = path;
        PathBytes = NativeFile.PathBytes(path);
        Pacer = new PollPacer(time);
        _invalidPrefix = $"invalid {kind}: ";
        Reason = $"waiting for producer: {path} not opened yet";
    }

    /// <summary>The file or device read.</summary>
    public string Path { get; }

    public RegionStatus Status { get; private set; } = RegionStatus.Waiting;

    public string? Reason { get; private set; }

    public int Width => Buffers.HasFrame ? Buffers.Width : 0;

    public int Height => Buffers.HasFrame ? Buffers.Height : 0;

    public ReadOnlyMemory<byte> Frame => Buffers.HasFrame ? Buffers.Frame : ReadOnlyMemory<byte>.Empty;

    public int Stride => Width * 4;

    public IReadOnlyList<PixelRect> Damage => _damage;

    /// <summary><see cref="Path"/> encoded once for the libc calls, not per poll.</summary>
    private protected byte[] PathBytes { get; }

    private protected FrameBuffers Buffers { get; } = new();

    private protected PollPacer Pacer { get; }

    public void WaitForUpdate(TimeSpan maxWait)
    {
        if (TakeWake())
        {
            return;
        }
        if (Status == RegionStatus.Ready && TryWaitForChange(maxWait))
        {
            return;
        }
        TimeSpan delay = Status == RegionStatus.Ready ? Pacer.NextDelay() : maxWait;
        if (delay > maxWait)
        {
            delay = maxWait;
        }
        if (delay > TimeSpan.Zero)
        {
            lock (_sleepGate)
            {
                if (!TakeWake())
                {
                    Monitor.Wait(_sleepGate, delay);
                    TakeWake();
                }
            }
        }
    }

    /// <summary>Ends a <see cref="WaitForUpdate"/> in progress, or makes the next one return at once. Any thread.</summary>
    public virtual void Wake()
    {
        Volatile.Write(ref _wakeRequested, 1);
        lock (_sleepGate)
        {
            Monitor.PulseAll(_sleepGate);
        }
        WakeSignal.Set();
    }

    /// <summary>Set by <see cref="Wake"/>: a source that waits in poll(2) on its peer (X damage) polls this too.</summary>
    private protected WakeFd WakeSignal { get; } = new();

    /// <summary>Unblocks a thread waiting on the source's peer; sources without one need nothing.</summary>
    public virtual void Interrupt()
    {
    }

    /// <summary>True (and cleared) when <see cref="Wake"/> was called since the last wait.</summary>
    private protected bool TakeWake() => Interlocked.Exchange(ref _wakeRequested, 0) != 0;

    /// <summary>
    /// A source told of changes (X damage) waits for them here instead of sleeping on the pacer;
    /// false (the default) when it cannot, and the pacer decides.
    /// </summary>
    private protected virtual bool TryWaitForChange(TimeSpan maxWait) => false;

    /// <summary>Reads the file or device and says what changed. Never throws for anything it holds.</summary>
    public RegionChange Poll()
    {
        _damage.Clear();
        RegionStatus oldStatus = Status;
        string? oldReason = Reason;
        RegionChange change = PollCore();
        Pacer.Polled();
        if (Status != oldStatus || Reason != oldReason)
        {
            change |= RegionChange.Status;
        }
        return change;
    }

    public abstract bool TrySendInput(in InputEvent e);

    /// <summary>One poll: open, read the mode and the pixels, and say what changed (status changes are added by <see cref="Poll"/>).</summary>
    private protected abstract RegionChange PollCore();

    /// <summary>Reports the rows of <c>Buffers.Next</c> that changed since the last read, converted into the frame.</summary>
    private protected RegionChange TakeRead()
    {
        if (!Buffers.TakeNext(out PixelRect band))
        {
            return RegionChange.None;
        }
        _damage.Add(band);
        Pacer.Activity();
        return RegionChange.Pixels;
    }

    /// <summary>Reports <paramref name="rect"/> (already converted into the frame) as changed.</summary>
    private protected void AddDamage(PixelRect rect) => _damage.Add(rect);

    /// <summary>
    /// New geometry or pixel layout: fresh buffers, and a mode change when a frame was shown. False
    /// (the source invalid, nothing allocated) when the mode is over the pixel budget.
    /// </summary>
    private protected bool TryResize(int width, int height, int rawStride, PixelLayout layout, ref RegionChange change)
    {
        string? refused = _budget.TryReserve(ref _heldPixels, width, height);
        if (refused is not null)
        {
            change |= DropFrame();
            Buffers.Release();
            ForgetMode();
            SetInvalid(refused);
            return false;
        }
        change |= Buffers.HasFrame ? RegionChange.Mode : RegionChange.None;
        Buffers.Reset(width, height, rawStride, layout);
        return true;
    }

    /// <summary>Nobody watches: the buffers go back to the system; the next poll reads the mode and a whole frame again.</summary>
    public void ReleaseFrame()
    {
        Buffers.Release();
        _budget.Release(ref _heldPixels);
        ForgetMode();
    }

    /// <summary>Forgets the mode last read, so the next poll sets it up (and allocates) again.</summary>
    private protected abstract void ForgetMode();

    /// <summary>The file or device is gone: no frame, and a restart when one was shown.</summary>
    private protected RegionChange DropFrame()
    {
        RegionChange change = Buffers.HasFrame ? RegionChange.Restart : RegionChange.None;
        Buffers.HasFrame = false;
        return change;
    }

    private protected void SetReady()
    {
        Status = RegionStatus.Ready;
        Reason = null;
    }

    private protected void SetWaiting(string reason)
    {
        Status = RegionStatus.Waiting;
        Reason = reason;
    }

    private protected void SetInvalid(string reason)
    {
        Status = RegionStatus.Invalid;
        Reason = _invalidPrefix + reason;
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes what the source holds; an override closes its own and calls this.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Buffers.Dispose();
            _budget.Release(ref _heldPixels);
            WakeSignal.Dispose();
        }
    }
}
