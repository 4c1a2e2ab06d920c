using WebConsole.Input;
using WebConsole.Region;
using static Tmds.Linux.LibC;

namespace WebConsole.Sources;

/// <summary>
/// An X server's screen kept as an XWD file: Xvfb started with <c>-fbdir DIR</c> maps
/// <c>DIR/Xvfb_screen0</c> and draws into it in place. Input reaches the X server through XTEST
/// when a display is configured.
/// </summary>
/// <remarks>
/// The file is read with pread, never mapped: Xvfb exiting (the file is removed) or a file that
/// shrinks gives a status, not SIGBUS. There is no damage: each poll reads every row, compares it
/// with the last read and converts and reports only the band of rows that changed, at 60 Hz after
/// a change or input and 10 Hz once the screen has been still for two seconds (<see cref="PollPacer"/>).
/// A restarted Xvfb writes a new file (another inode): the source reopens it and reports a restart.
/// Not thread-safe apart from <see cref="TrySendInput"/>, like every source.
/// </remarks>
public sealed partial class XwdSource : IFramebufferSource
{
    private readonly byte[] _headerBytes = new byte[XwdHeader.FixedSize];
    private readonly List<PixelRect> _damage = new(1);
    private readonly byte[] _pathBytes;
    private readonly FrameBuffers _buffers = new();
    private readonly PollPacer _pacer;
    private readonly XTestInput? _input;
    private readonly ILogger _logger;
    private int _fd = -1;
    private NativeSourceFile.Identity _file;
    private XwdHeader _header;
    private bool _haveHeader;
    private PixelLayoutConverter? _converter;
    private int _inputWarned;

    /// <summary>Reads the XWD file at <paramref name="path"/>; input goes to <paramref name="input"/>, or is dropped when it is null.</summary>
    public XwdSource(string path, XTestInput? input, TimeProvider time, ILogger<XwdSource> logger)
    {
        Path = path;
        _pathBytes = NativeSourceFile.PathBytes(path);
        _input = input;
        _pacer = new PollPacer(time);
        _logger = logger;
        Reason = $"waiting for producer: {path} not opened yet";
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
        if (!NativeSourceFile.PRead(_fd, next, _header.PixelOffset))
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
        if (_fd >= 0)
        {
            // Xvfb removes its file when it exits and a new one writes a new file: another inode.
            // (ctime is no help: every write through Xvfb's mapping touches it.)
            int pathError = NativeSourceFile.Stat(_pathBytes, out var onDisk);
            if (pathError != 0 || onDisk.Inode != _file.Inode || onDisk.Device != _file.Device)
            {
                Close();
                if (_buffers.HasFrame)
                {
                    change |= RegionChange.Restart;
                }
                _buffers.HasFrame = false;
                _haveHeader = false;
            }
        }
        if (_fd < 0)
        {
            int error = NativeSourceFile.Open(_pathBytes, out _fd);
            if (error != 0)
            {
                SetWaiting(error == ENOENT
                    ? $"waiting for producer: {Path} does not exist (is Xvfb running with -fbdir?)"
                    : $"waiting for producer: cannot open {Path}: {NativeSourceFile.Describe(error)}");
                return false;
            }
        }
        if (NativeSourceFile.FStat(_fd, out _file) != 0)
        {
            Close();
            SetWaiting($"waiting for producer: cannot stat {Path}");
            return false;
        }
        return true;
    }

    private bool ReadHeader(ref RegionChange change)
    {
        Span<byte> bytes = stackalloc byte[XwdHeader.FixedSize];
        int length = (int)Math.Min(_file.Size, XwdHeader.FixedSize);
        if (!NativeSourceFile.PRead(_fd, bytes[..length], 0))
        {
            SetInvalid("the file shrank while its header was read");
            return false;
        }
        if (_haveHeader && length == XwdHeader.FixedSize && bytes.SequenceEqual(_headerBytes) && _file.Size >= _header.FileBytesNeeded)
        {
            return true; // the usual case: the same screen as last time
        }
        if (!XwdHeader.TryParse(bytes[..length], _file.Size, out XwdHeader header, out string? reason, out bool notYetWritten))
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

    private void Close() => NativeSourceFile.Close(ref _fd);

    public void Dispose()
    {
        Close();
        _buffers.Dispose();
        _input?.Dispose();
    }
}
