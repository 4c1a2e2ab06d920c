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
public sealed partial class XwdSource : PolledSource
{
    private readonly byte[] _headerBytes = new byte[XwdHeader.FixedSize];
    private readonly XTestInput? _input;
    private readonly ILogger _logger;
    private int _fd = -1;
    private NativeFile.FileIdentity _file;
    private XwdHeader _header;
    private bool _haveHeader;
    private int _inputWarned;

    /// <summary>Reads the XWD file at <paramref name="path"/>; input goes to <paramref name="input"/>, or is dropped when it is null.</summary>
    public XwdSource(string path, XTestInput? input, TimeProvider time, ILogger<XwdSource> logger)
        : base(path, "xwd", time)
    {
        _input = input;
        _logger = logger;
    }

    /// <summary>The header of the file last read (meaningful once the source has been ready).</summary>
    public XwdHeader Header => _header;

    private protected override RegionChange PollCore()
    {
        RegionChange change = RegionChange.None;
        if (!EnsureOpen(ref change) || !ReadHeader(ref change))
        {
            return change;
        }
        if (!NativeFile.PRead(_fd, Buffers.Next, _header.PixelOffset))
        {
            SetInvalid("the file shrank while its pixels were read");
            return change;
        }
        change |= TakeRead();
        SetReady();
        return change;
    }

    private bool EnsureOpen(ref RegionChange change)
    {
        if (_fd >= 0)
        {
            // Xvfb removes its file when it exits and a new one writes a new file: another inode.
            // (ctime is no help: every write through Xvfb's mapping touches it.)
            int pathError = NativeFile.Stat(PathBytes, out var onDisk);
            if (pathError != 0 || onDisk.Inode != _file.Inode || onDisk.Device != _file.Device)
            {
                Close();
                change |= DropFrame();
                _haveHeader = false;
            }
        }
        if (_fd < 0)
        {
            int error = NativeFile.Open(PathBytes, write: false, out _fd);
            if (error != 0)
            {
                SetWaiting(error == ENOENT
                    ? $"waiting for producer: {Path} does not exist (is Xvfb running with -fbdir?)"
                    : $"waiting for producer: cannot open {Path}: {NativeFile.Describe(error)}");
                return false;
            }
        }
        if (NativeFile.FStat(_fd, out _file) != 0)
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
        if (!NativeFile.PRead(_fd, bytes[..length], 0))
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
            header.BytesPerLine != _header.BytesPerLine || header.Layout != _header.Layout || !Buffers.HasFrame)
        {
            change |= Resize(header.Width, header.Height, header.BytesPerLine, header.Layout);
        }
        _header = header;
        _haveHeader = true;
        return true;
    }

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

    private void Close()
    {
        NativeFile.Close(_fd);
        _fd = -1;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close();
            _input?.Dispose();
        }
        base.Dispose(disposing);
    }
}
