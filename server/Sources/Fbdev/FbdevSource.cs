using WebConsole.Region;
using WebConsole.Sources.Xwd;
using static Tmds.Linux.LibC;

namespace WebConsole.Sources.Fbdev;

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
public sealed unsafe class FbdevSource : PolledSource
{
    private int _fd = -1;
    private byte* _map;
    private long _mapLength;
    private FbdevMode _mode;
    private bool _haveMode;

    public FbdevSource(string path, TimeProvider time, PixelBudget? budget = null)
        : base(path, "fbdev", time, budget)
    {
    }

    /// <summary>The visible mode last read.</summary>
    public FbdevMode Mode => _mode;

    private protected override RegionChange PollCore()
    {
        RegionChange change = RegionChange.None;
        if (_fd >= 0 && NativeFile.Stat(PathBytes, out _) != 0)
        {
            change |= Close();
        }
        if (_fd < 0)
        {
            int error = NativeFile.Open(PathBytes, write: false, out _fd);
            if (error != 0)
            {
                SetWaiting(error == ENOENT
                    ? $"waiting for producer: {Path} does not exist"
                    : $"waiting for producer: cannot open {Path}: {NativeFile.Describe(error)} (is the user in the video group?)");
                return change;
            }
        }
        Span<byte> var = stackalloc byte[FbVarScreenInfo.Size];
        Span<byte> fix = stackalloc byte[FbFixScreenInfo.Size];
        int rc = NativeFile.IoctlRead(_fd, FbVarScreenInfo.GetRequest, var);
        if (rc == 0)
        {
            rc = NativeFile.IoctlRead(_fd, FbFixScreenInfo.GetRequest, fix);
        }
        if (rc != 0)
        {
            change |= Close();
            SetInvalid($"{Path} does not answer the framebuffer ioctls: {NativeFile.Describe(rc)} (is it a framebuffer device?)");
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
        Span<byte> next = Buffers.Next;
        for (int y = 0; y < mode.Height; y++)
        {
            new ReadOnlySpan<byte>(_map + mode.Offset + (long)y * mode.LineLength, rowBytes).CopyTo(next.Slice(y * rowBytes, rowBytes));
        }
        change |= TakeRead();
        SetReady();
        return change;
    }

    private bool EnsureMapped(in FbdevMode mode, ref RegionChange change)
    {
        if (_map == null || mode.MapLength != _mapLength)
        {
            Unmap();
            int error = NativeFile.Map(_fd, 0, mode.MapLength, write: false, out _map);
            if (error != 0)
            {
                SetInvalid($"cannot map {mode.MapLength} bytes of {Path}: {NativeFile.Describe(error)}");
                return false;
            }
            _mapLength = mode.MapLength;
        }
        if (!_haveMode || mode.Width != _mode.Width || mode.Height != _mode.Height || mode.Layout != _mode.Layout || !Buffers.HasFrame)
        {
            if (!TryResize(mode.Width, mode.Height, mode.Width * mode.Layout.BytesPerPixel, mode.Layout, ref change))
            {
                return false;
            }
        }
        _mode = mode;
        _haveMode = true;
        return true;
    }

    public override bool TrySendInput(in InputEvent e) => false;

    private protected override void ForgetMode() => _haveMode = false;

    /// <summary>Lets go of the device: a restart when a frame was shown.</summary>
    private RegionChange Close()
    {
        Unmap();
        NativeFile.Close(_fd);
        _fd = -1;
        _haveMode = false;
        return DropFrame();
    }

    private void Unmap()
    {
        NativeFile.Unmap(_map, _mapLength);
        _map = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ = Close();
        }
        base.Dispose(disposing);
    }
}
