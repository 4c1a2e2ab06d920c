using WebConsole.Input;
using WebConsole.Region;

namespace WebConsole.Sources;

/// <summary>
/// An X server's screen kept as an XWD image: Xvfb started with <c>-fbdir DIR</c> maps
/// <c>DIR/Xvfb_screen0</c> and draws into it in place; with <c>-shmem</c> it draws into a System V
/// shared memory segment (<see cref="IXwdStore"/> says which). Input reaches the X server through
/// XTEST when a display is configured.
/// </summary>
/// <remarks>
/// The file is read with pread, never mapped (<see cref="XwdFileStore"/>). There is no damage: each poll reads every row, compares it
/// with the last read and converts and reports only the band of rows that changed, at 60 Hz after
/// a change or input and 10 Hz once the screen has been still for two seconds (<see cref="PollPacer"/>).
/// A restarted Xvfb writes a new file or segment: the source reopens it and reports a restart.
/// Not thread-safe apart from <see cref="TrySendInput"/>, like every source.
/// </remarks>
public sealed partial class XwdSource : IFramebufferSource
{
    private readonly byte[] _headerBytes = new byte[XwdHeader.FixedSize];
    private readonly List<PixelRect> _damage = new(1);
    private readonly IXwdStore _store;
    private readonly FrameBuffers _buffers = new();
    private readonly PollPacer _pacer;
    private readonly XTestInput? _input;
    private readonly ILogger _logger;
    private XwdHeader _header;
    private bool _haveHeader;
    private PixelLayoutConverter? _converter;
    private int _inputWarned;

    /// <summary>Reads the XWD file at <paramref name="path"/>; input goes to <paramref name="input"/>, or is dropped when it is null.</summary>
    public XwdSource(string path, XTestInput? input, TimeProvider time, ILogger<XwdSource> logger)
        : this(new XwdFileStore(path), input, time, logger)
    {
    }

    /// <summary>Reads the XWD image <paramref name="store"/> holds, and owns it.</summary>
    internal XwdSource(IXwdStore store, XTestInput? input, TimeProvider time, ILogger<XwdSource> logger)
    {
        _store = store;
        Path = store.Name;
        _input = input;
        _pacer = new PollPacer(time);
        _logger = logger;
        Reason = $"waiting for producer: {Path} not opened yet";
    }

    public string Path { get; }

    public RegionStatus Status { get; private set; } = RegionStatus.Waiting;

    public string? Reason { get; private set; }

    public int Width => _buffers.HasFrame ? _buffers.Width : 0;

    public int Height => _buffers.HasFrame ? _buffers.Height : 0;

    public ReadOnlyMemory<byte> Frame => _buffers.HasFrame ? _buffers.Frame : ReadOnlyMemory<byte>.Empty;

    public int Stride => Width * 4;

    public IReadOnlyList<PixelRect> Damage => _damage;

    /// <summary>The header of the file last read (meaningful once the source has been ready).</summary>
    public XwdHeader Header => _header;

    public void WaitForUpdate(TimeSpan maxWait)
    {
        TimeSpan delay = Status == RegionStatus.Ready ? _pacer.NextDelay() : maxWait;
        if (delay > maxWait)
        {
            delay = maxWait;
        }
        if (delay > TimeSpan.Zero)
        {
            Thread.Sleep(delay);
        }
    }

    /// <summary>Reads the file and says what changed. Never throws for anything the file holds.</summary>
    public RegionChange Poll()
    {
        _damage.Clear();
        RegionStatus oldStatus = Status;
        string? oldReason = Reason;
        RegionChange change = PollCore();
        _pacer.Polled();
        if (Status != oldStatus || Reason != oldReason)
        {
            change |= RegionChange.Status;
        }
        return change;
    }

    private RegionChange PollCore()
    {
        RegionChange change = RegionChange.None;
        if (!EnsureOpen(ref change) || !ReadHeader(ref change))
        {
            return change;
        }
        Span<byte> next = _buffers.Next;
        if (!_store.ReadAt(_header.PixelOffset, next))
        {
            SetInvalid("the file shrank while its pixels were read");
            return change;
        }
        if (_buffers.FindChangedRows(out int first, out int last))
        {
            Span<byte> frame = _buffers.Frame.Span;
            int width = _header.Width, rawStride = _buffers.RawStride;
            for (int y = first; y <= last; y++)
            {
                _converter!.ConvertRow(next.Slice(y * rawStride, rawStride), frame.Slice(y * width * 4, width * 4), width);
            }
            _buffers.SwapRaw();
            _buffers.HasFrame = true;
            _damage.Add(new PixelRect(0, first, width, last - first + 1));
            change |= RegionChange.Pixels;
            _pacer.Activity();
        }
        SetReady();
        return change;
    }

    private bool EnsureOpen(ref RegionChange change)
    {
        bool open = _store.Refresh(out bool lost, out string? waitingReason);
        if (lost)
        {
            if (_buffers.HasFrame)
            {
                change |= RegionChange.Restart;
            }
            _buffers.HasFrame = false;
            _haveHeader = false;
        }
        if (!open)
        {
            SetWaiting(waitingReason!);
        }
        return open;
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
            header.BytesPerLine != _header.BytesPerLine || header.Layout != _header.Layout || !_buffers.HasFrame)
        {
            if (_buffers.HasFrame)
            {
                change |= RegionChange.Mode;
            }
            _buffers.Reset(header.Width, header.Height, header.BytesPerLine);
            _converter = new PixelLayoutConverter(header.Layout);
        }
        _header = header;
        _haveHeader = true;
        return true;
    }

    /// <summary>Passes the event to the X server through XTEST; dropped (false) when no display is configured.</summary>
    public bool TrySendInput(in InputEvent e)
    {
        if (_input is null)
        {
            if (Interlocked.Exchange(ref _inputWarned, 1) == 0)
            {
                LogInputDropped(Path);
            }
            return false;
        }
        _pacer.Activity();
        return _input.TrySend(e);
    }

    private void SetReady()
    {
        Status = RegionStatus.Ready;
        Reason = null;
    }

    private void SetWaiting(string reason)
    {
        Status = RegionStatus.Waiting;
        Reason = reason;
    }

    private void SetInvalid(string reason)
    {
        Status = RegionStatus.Invalid;
        Reason = "invalid xwd: " + reason;
    }

    public void Dispose()
    {
        _store.Dispose();
        _buffers.Dispose();
        _input?.Dispose();
    }
}
