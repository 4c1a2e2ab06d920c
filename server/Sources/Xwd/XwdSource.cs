using WebConsole.Region;
using WebConsole.Sources.X11;

namespace WebConsole.Sources.Xwd;

/// <summary>
/// An X server's screen kept as an XWD image: Xvfb started with <c>-fbdir DIR</c> maps
/// <c>DIR/Xvfb_screen0</c> and draws into it in place; with <c>-shmem</c> it draws into a System V
/// shared memory segment (<see cref="IXwdStore"/> says which). Input reaches the X server through
/// XTEST when a display is configured.
/// </summary>
/// <remarks>
/// The file is read with pread, never mapped (<see cref="XwdFileStore"/>): Xvfb exiting or a file
/// that shrinks gives a status, not SIGBUS. With a display configured, X DAMAGE
/// (<see cref="X11DamageWatch"/>) says when and where the screen changed: the source sleeps until
/// then and reads only the damaged rows. Without it (no display, no DAMAGE, the server unreachable)
/// each poll reads every row, compares it with the last read and converts and reports only the band
/// of rows that changed, at 60 Hz after a change or input and 10 Hz once the screen has been still
/// for two seconds (<see cref="PollPacer"/>).
/// A restarted Xvfb writes a new file or segment: the source reopens it and reports a restart.
/// Not thread-safe apart from <see cref="TrySendInput"/>, like every source.
/// </remarks>
public sealed partial class XwdSource : PolledSource, IFramebufferSource
{
    private readonly WebConsole.Sources.Clipboard.IGuestClipboard? _clipboard;
    private readonly byte[] _headerBytes = new byte[XwdHeader.FixedSize];
    private readonly IXwdStore _store;
    private readonly XTestInput? _input;
    private readonly ILogger _logger;
    private readonly X11DamageWatch? _watch;
    private const int MaxRereads = 2;
    private readonly List<PixelRect> _damaged = new(64);
    private XwdHeader _header;
    private bool _haveHeader;
    private int _inputWarned;

    /// <summary>Reads the XWD file at <paramref name="path"/>; input goes to <paramref name="input"/>, or is dropped when it is null.</summary>
    public XwdSource(string path, XTestInput? input, TimeProvider time, ILogger<XwdSource> logger, PixelBudget? budget = null)
        : this(new XwdFileStore(path), input, time, logger, budget)
    {
    }

    /// <summary>
    /// Reads the XWD image <paramref name="store"/> holds, and owns it; <paramref name="damage"/> (owned too) says where it changed;
    /// <paramref name="clipboard"/> (owned too) is the X display's clipboard.
    /// </summary>
    internal XwdSource(IXwdStore store, XTestInput? input, TimeProvider time, ILogger<XwdSource> logger, PixelBudget? budget = null,
        X11DamageWatch? damage = null, WebConsole.Sources.Clipboard.IGuestClipboard? clipboard = null)
        : base(store.Name, "xwd", time, budget)
    {
        _clipboard = clipboard;
        _store = store;
        _input = input;
        _logger = logger;
        _watch = damage;
    }

    /// <summary>Whether X damage drives the reads now (false: polling).</summary>
    internal bool UsesDamage => _watch is { Active: true };

    /// <summary>The header of the file last read (meaningful once the source has been ready).</summary>
    public XwdHeader Header => _header;

    private protected override RegionChange PollCore()
    {
        RegionChange change = RegionChange.None;
        if (!EnsureOpen(ref change) || !ReadHeader(ref change))
        {
            return change;
        }
        if (_watch is not null && _watch.Ensure(out bool fresh))
        {
            _damaged.Clear();
            bool taken = _watch.Take(_damaged, Buffers.Width, Buffers.Height);
            if (taken && !fresh && Buffers.HasFrame && (change & (RegionChange.Mode | RegionChange.Restart)) == 0)
            {
                return change | ReadDamaged();
            }
            // A new connection, a new mode or a lost one: read everything once (below).
        }
        if (!_store.ReadAt(_header.PixelOffset, Buffers.Next))
        {
            SetInvalid("the file shrank while its pixels were read");
            return change;
        }
        change |= TakeRead();
        SetReady();
        return change;
    }

    /// <summary>
    /// Reads the rows of each damaged rectangle into the last read and converts the rectangles.
    /// Xvfb draws into its file while it is read: when more damage came in during the read, that
    /// damage is taken too and everything read again (at most <see cref="MaxRereads"/> times), so a
    /// frame drawn by a client in one go is not sent half old, half new.
    /// </summary>
    private RegionChange ReadDamaged()
    {
        if (_damaged.Count == 0)
        {
            return RegionChange.None;
        }
        for (int attempt = 0; ; attempt++)
        {
            foreach (PixelRect r in _damaged)
            {
                if (!_store.ReadAt(_header.PixelOffset + (long)r.Y * _header.BytesPerLine, Buffers.RawRows(r.Y, r.Height)))
                {
                    SetInvalid("the file shrank while its pixels were read");
                    return RegionChange.None;
                }
            }
            // No settle wait here (unlike x11): Xvfb keeps drawing into the file while a settle wait
            // passes, and the re-reads then chase the next frame (measured: 22 torn states and
            // 49 fps with a 2 ms settle, 2 and 60 fps without).
            if (attempt == MaxRereads || !_watch!.MoreDamagePending(TimeSpan.Zero) ||
                !_watch.Take(_damaged, Buffers.Width, Buffers.Height))
            {
                break;
            }
        }
        foreach (PixelRect r in _damaged)
        {
            Buffers.ConvertRect(r);
            AddDamage(r);
        }
        return RegionChange.Pixels;
    }

    private protected override bool TryWaitForChange(TimeSpan maxWait)
    {
        if (_watch is not { Active: true })
        {
            return false;
        }
        _watch.Wait(maxWait, WakeSignal);
        return true;
    }

    /// <summary>Shuts the damage connection's socket down, so a thread stuck on the X server returns.</summary>
    public override void Interrupt() => _watch?.Interrupt();

    private bool EnsureOpen(ref RegionChange change)
    {
        bool open = _store.Refresh(out bool lost, out string? waitingReason);
        if (lost)
        {
            change |= DropFrame();
            _haveHeader = false;
        }
        if (!open)
        {
            SetWaiting(waitingReason ?? $"waiting for producer: {Path}");
            return false;
        }
        return true;
    }

    private bool ReadHeader(ref RegionChange change)
    {
        Span<byte> bytes = stackalloc byte[XwdHeader.FixedSize];
        long size = _store.Size;
        int length = (int)Math.Min(size, XwdHeader.FixedSize);
        if (!_store.ReadAt(0, bytes[..length]))
        {
            SetInvalid("the file shrank while its header was read");
            return false;
        }
        if (_haveHeader && length == XwdHeader.FixedSize && bytes.SequenceEqual(_headerBytes) && size >= _header.FileBytesNeeded)
        {
            return true; // the usual case: the same screen as last time
        }
        if (!XwdHeader.TryParse(bytes[..length], size, out XwdHeader header, out string? reason, out bool notYetWritten))
        {
            _haveHeader = false;
            if (notYetWritten)
            {
                SetWaiting($"waiting for producer: {reason}");
            }
            else
            {
                SetInvalid(reason!);
            }
            return false;
        }
        bytes.CopyTo(_headerBytes);
        if (!_haveHeader || header.Width != _header.Width || header.Height != _header.Height ||
            header.BytesPerLine != _header.BytesPerLine || header.Layout != _header.Layout || !Buffers.HasFrame)
        {
            if (!TryResize(header.Width, header.Height, header.BytesPerLine, header.Layout, ref change))
            {
                return false;
            }
        }
        _header = header;
        _haveHeader = true;
        return true;
    }

    private protected override void ForgetMode() => _haveHeader = false;

    /// <summary>Passes the event to the X server through XTEST; dropped (false) when no display is configured.</summary>
    public override bool TrySendInput(in InputEvent e)
    {
        if (_input is null)
        {
            if (Interlocked.Exchange(ref _inputWarned, 1) == 0)
            {
                LogInputDropped(Path);
            }
            return false;
        }
        Pacer.Activity();
        return _input.TrySend(e);
    }

    /// <summary>The configured X display's CLIPBOARD (or PRIMARY) selection; null without a display.</summary>
    public WebConsole.Sources.Clipboard.IGuestClipboard? Clipboard => _clipboard;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            (_clipboard as IDisposable)?.Dispose();
            _store.Dispose();
            _input?.Dispose();
            _watch?.Dispose();
        }
        base.Dispose(disposing);
    }
}
