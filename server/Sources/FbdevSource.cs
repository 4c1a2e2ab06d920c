using WebConsole.Region;
using static Tmds.Linux.LibC;

namespace WebConsole.Sources;

/// <summary>
/// A Linux framebuffer device (<c>/dev/fb0</c>): the mode from FBIOGET_VSCREENINFO and
/// FBIOGET_FSCREENINFO, the pixels from a read-only shared mapping of the device memory. Input is
/// not supported (a framebuffer has none; see docs/fbdev.md).
/// </summary>
/// <remarks>
/// Both ioctls run on every poll, so a mode switch or a pan (yoffset, as double-buffering
/// consoles do) is followed. There is no damage: each poll copies the visible page, compares it
/// row by row with the last copy and converts and reports only the band of rows that changed,
/// paced like <see cref="XwdSource"/>. Not thread-safe, like every source.
/// </remarks>
public sealed unsafe class FbdevSource : IFramebufferSource
{
    private readonly List<PixelRect> _damage = new(1);
    private readonly byte[] _pathBytes;
    private readonly FrameBuffers _buffers = new();
    private readonly PollPacer _pacer;
    private int _fd = -1;
    private byte* _map;
    private long _mapLength;
    private FbdevMode _mode;
    private bool _haveMode;
    private PixelLayoutConverter? _converter;

    public FbdevSource(string path, TimeProvider time)
    {
        Path = path;
        _pathBytes = NativeSourceFile.PathBytes(path);
        _pacer = new PollPacer(time);
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

    /// <summary>The visible mode last read.</summary>
    public FbdevMode Mode => _mode;

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
        if (_fd >= 0 && NativeSourceFile.Stat(_pathBytes, out _) != 0)
        {
            Close(ref change);
        }
        if (_fd < 0)
        {
            int error = NativeSourceFile.Open(_pathBytes, out _fd);
            if (error != 0)
            {
                SetWaiting(error == ENOENT
                    ? $"waiting for producer: {Path} does not exist"
                    : $"waiting for producer: cannot open {Path}: {NativeSourceFile.Describe(error)} (is the user in the video group?)");
                return change;
            }
        }
        Span<byte> var = stackalloc byte[FbVarScreenInfo.Size];
        Span<byte> fix = stackalloc byte[FbFixScreenInfo.Size];
        int rc = NativeSourceFile.IoctlRead(_fd, FbVarScreenInfo.GetRequest, var);
        if (rc == 0)
        {
            rc = NativeSourceFile.IoctlRead(_fd, FbFixScreenInfo.GetRequest, fix);
        }
        if (rc != 0)
        {
            Close(ref change);
            SetInvalid($"{Path} does not answer the framebuffer ioctls: {NativeSourceFile.Describe(rc)} (is it a framebuffer device?)");
            return change;
        }
        if (!FbdevMode.TryCreate(FbVarScreenInfo.Parse(var), FbFixScreenInfo.Parse(fix), out FbdevMode mode, out string? reason))
        {
            SetInvalid(reason!);
            return change;
        }
        if (!EnsureMapped(mode, ref change))
        {
            return change;
        }
        int rowBytes = mode.Width * mode.Layout.BytesPerPixel;
        Span<byte> next = _buffers.Next;
        for (int y = 0; y < mode.Height; y++)
        {
            new ReadOnlySpan<byte>(_map + mode.Offset + (long)y * mode.LineLength, rowBytes).CopyTo(next.Slice(y * rowBytes, rowBytes));
        }
        if (_buffers.FindChangedRows(out int first, out int last))
        {
            Span<byte> frame = _buffers.Frame.Span;
            for (int y = first; y <= last; y++)
            {
                _converter!.ConvertRow(next.Slice(y * rowBytes, rowBytes), frame.Slice(y * mode.Width * 4, mode.Width * 4), mode.Width);
            }
            _buffers.SwapRaw();
            _buffers.HasFrame = true;
            _damage.Add(new PixelRect(0, first, mode.Width, last - first + 1));
            change |= RegionChange.Pixels;
            _pacer.Activity();
        }
        Status = RegionStatus.Ready;
        Reason = null;
        return change;
    }

    private bool EnsureMapped(in FbdevMode mode, ref RegionChange change)
    {
        if (_map == null || mode.MapLength != _mapLength)
        {
            NativeSourceFile.Unmap(ref _map, _mapLength);
            int error = NativeSourceFile.MapReadOnly(_fd, mode.MapLength, out _map);
            if (error != 0)
            {
                SetInvalid($"cannot map {mode.MapLength} bytes of {Path}: {NativeSourceFile.Describe(error)}");
                return false;
            }
            _mapLength = mode.MapLength;
        }
        if (!_haveMode || mode.Width != _mode.Width || mode.Height != _mode.Height || mode.Layout != _mode.Layout || !_buffers.HasFrame)
        {
            if (_buffers.HasFrame)
            {
                change |= RegionChange.Mode;
            }
            _buffers.Reset(mode.Width, mode.Height, mode.Width * mode.Layout.BytesPerPixel);
            _converter = new PixelLayoutConverter(mode.Layout);
        }
        _mode = mode;
        _haveMode = true;
        return true;
    }

    public bool TrySendInput(in InputEvent e) => false;

    private void SetWaiting(string reason)
    {
        Status = RegionStatus.Waiting;
        Reason = reason;
    }

    private void SetInvalid(string reason)
    {
        Status = RegionStatus.Invalid;
        Reason = "invalid fbdev: " + reason;
    }

    private void Close(ref RegionChange change)
    {
        NativeSourceFile.Unmap(ref _map, _mapLength);
        NativeSourceFile.Close(ref _fd);
        if (_buffers.HasFrame)
        {
            change |= RegionChange.Restart;
        }
        _buffers.HasFrame = false;
        _haveMode = false;
    }

    public void Dispose()
    {
        RegionChange ignored = RegionChange.None;
        Close(ref ignored);
        _buffers.Dispose();
    }
}
