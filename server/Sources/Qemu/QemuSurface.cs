using WebConsole.Region;

namespace WebConsole.Sources.Qemu;

/// <summary>
/// What QEMU last said about one console, handed from the listener thread to the capture loop:
/// the surface (inline pixels kept as XRGB8888, or the shared memfd), the damage since the last
/// poll (at most <see cref="MaxDamageRects"/> rectangles, then their bounding box: a flood of
/// updates coalesces, it never queues), and the cursor. Every check of what QEMU sent happens
/// here, before anything is allocated for it. The listener calls the Apply methods; the capture
/// loop calls <see cref="Poll"/> and reads <see cref="Frame"/>; one lock joins them.
/// </summary>
internal sealed class QemuSurface : IDisposable
{
    /// <summary>Damage rectangles kept before they merge into one bounding box.</summary>
    public const int MaxDamageRects = 64;

    /// <summary>Map updates up to this many pixels are compared on arrival (a 64x64 area: 16 KB).</summary>
    private const int MaxComparedPixels = 64 * 64;

    private readonly Lock _gate = new();
    private readonly PixelBudget _budget;
    private long _heldPixels; // reserved from _budget for the surface QEMU last announced
    private readonly List<PixelRect> _damage = new(MaxDamageRects);
    private readonly byte[] _cursorImage = new byte[RegionFormat.CursorImageSize];
    private readonly byte[] _cursorFront = new byte[RegionFormat.CursorImageSize];
    private byte[]? _back;          // inline surface, XRGB8888, width * 4 per row
    private QemuMappedFrame? _mapped;
    private byte[]? _front;
    private byte[]? _row;
    private byte[]? _converted;     // one converted row, to compare before it counts as a change
    private int _width, _height;
    private long _generation, _frontGeneration = -1;
    private int _frontWidth, _frontHeight;
    private CursorState _cursor, _frontCursor;
    private uint _cursorSerial;
    private bool _cursorImageDirty, _cursorDirty;
    private bool _staleReported;

    /// <summary>A surface of at most <paramref name="maxPixels"/> pixels, on a budget of its own.</summary>
    public QemuSurface(long maxPixels)
        : this(new PixelBudget(maxPixels, maxPixels))
    {
    }

    /// <summary>
    /// A surface whose modes are reserved from <paramref name="budget"/> (Streaming:MaxPixels and
    /// Streaming:MaxTotalPixels, shared with every other console) before anything is allocated.
    /// </summary>
    public QemuSurface(PixelBudget budget)
    {
        _budget = budget;
    }

    /// <summary>Raised (on the listener thread) when something new arrived; the source wakes its capture loop.</summary>
    public event Action? Changed;

    /// <summary>"map", "inline" or "none": how the current surface arrives.</summary>
    public string Transport { get; private set; } = "none";

    /// <summary>True while QEMU has given a surface (the console can show something).</summary>
    public bool HasSurface { get; private set; }

    /// <summary>Why the last surface was refused; null when it was accepted.</summary>
    public string? SurfaceError { get; private set; }

    /// <summary>
    /// Raised once (on the listener thread) when an update reaches past the surface: QEMU 7.2 can
    /// switch surfaces without a new Scanout (its first one after registering can be a stale
    /// 640x480 while the updates are 720 wide), so the source checks the console's size and
    /// registers again for a fresh Scanout. Updates are clipped meanwhile.
    /// </summary>
    public event Action? StaleSuspected;

    /// <summary>The size of QEMU's surface as last announced (0x0 without one).</summary>
    public (int Width, int Height) SurfaceSize
    {
        get
        {
            lock (_gate)
            {
                return HasSurface ? (_width, _height) : (0, 0);
            }
        }
    }

    public long InlineBytes { get; private set; }

    public long InlineUpdates { get; private set; }

    public long MapUpdates { get; private set; }

    /// <summary>Updates (inline or map) whose pixels were all what the surface already held: no change, nobody woken.</summary>
    public long UnchangedUpdates { get; private set; }

    public long Scanouts { get; private set; }

    // ---- the capture loop's view, valid after Poll ----

    public int Width => _front is null ? 0 : _frontWidth;

    public int Height => _front is null ? 0 : _frontHeight;

    public ReadOnlyMemory<byte> Frame => _front is null ? ReadOnlyMemory<byte>.Empty : _front.AsMemory(0, _frontWidth * 4 * _frontHeight);

    public CursorState Cursor => _frontCursor;

    public ReadOnlySpan<byte> CursorImage => _cursorFront;

    // ---- the listener's side ----

    /// <summary>An inline <c>Scanout</c>: a whole new surface.</summary>
    public string? ApplyScanout(uint width, uint height, uint stride, uint format, ReadOnlySpan<byte> data)
    {
        if (!CheckGeometry(width, height, stride, format, out int bpp, out string? error))
        {
            return Refuse(error!);
        }
        long needed = (long)stride * (height - 1) + (long)width * bpp;
        if (data.Length < needed)
        {
            return Refuse($"scanout of {width}x{height} with stride {stride} needs {needed} bytes, {data.Length} came");
        }
        lock (_gate)
        {
            int w = (int)width, h = (int)height;
            DropMapped();
            if (_back is null || _back.Length != w * 4 * h)
            {
                // Not pooled: a pool would keep a released frame's memory alive.
                _back = null;
                _back = GC.AllocateUninitializedArray<byte>(w * 4 * h);
            }
            for (int y = 0; y < h; y++)
            {
                QemuPixelFormat.ConvertRow(format, data.Slice(y * (int)stride, w * bpp), _back.AsSpan(y * w * 4, w * 4), w);
            }
            NewSurface(w, h, "inline");
            InlineBytes += data.Length;
            Scanouts++;
        }
        Changed?.Invoke();
        return null;
    }

    /// <summary>An inline <c>Update</c>: pixels of one rectangle, clipped to the surface.</summary>
    public string? ApplyUpdate(int x, int y, int width, int height, uint stride, uint format, ReadOnlySpan<byte> data)
    {
        bool outside = false;
        try
        {
            return ApplyUpdateCore(x, y, width, height, stride, format, data, ref outside);
        }
        finally
        {
            if (outside)
            {
                StaleSuspected?.Invoke();
            }
        }
    }

    private string? ApplyUpdateCore(int x, int y, int width, int height, uint stride, uint format, ReadOnlySpan<byte> data, ref bool outside)
    {
        int bpp = QemuPixelFormat.BytesPerPixel(format);
        if (bpp == 0)
        {
            return $"update in unknown pixel format 0x{format:x8}";
        }
        if (x < 0 || y < 0 || width <= 0 || height <= 0 || width > 65535 || height > 65535)
        {
            return $"update rectangle {x},{y} {width}x{height} is not on any surface";
        }
        if (stride < (ulong)width * (ulong)bpp || stride > 1 << 20)
        {
            return $"update stride {stride} does not fit its width {width}";
        }
        long needed = (long)stride * (height - 1) + (long)width * bpp;
        if (data.Length < needed)
        {
            return $"update of {width}x{height} with stride {stride} needs {needed} bytes, {data.Length} came";
        }
        lock (_gate)
        {
            InlineBytes += data.Length;
            InlineUpdates++;
            if (_back is null || _mapped is not null)
            {
                return "update before any inline scanout";
            }
            bool visible = Clip(ref x, ref y, ref width, ref height, out outside);
            if (outside && _staleReported)
            {
                outside = false;
            }
            _staleReported |= outside;
            if (!visible)
            {
                return null;
            }
            // QEMU repaints what did not change (in VGA text mode the cursor's cell, 30 times a
            // second, even with the cursor hidden): rows equal to what the surface holds are no
            // change, and an update without one wakes nobody.
            Span<byte> converted = ConvertedRow(width * 4);
            bool changed = false;
            for (int row = 0; row < height; row++)
            {
                QemuPixelFormat.ConvertRow(format, data.Slice(row * (int)stride, width * bpp), converted, width);
                Span<byte> target = _back.AsSpan(((y + row) * _width + x) * 4, width * 4);
                if (!converted.SequenceEqual(target))
                {
                    converted.CopyTo(target);
                    changed = true;
                }
            }
            if (!changed)
            {
                UnchangedUpdates++;
                return null;
            }
            AddDamage(new PixelRect(x, y, width, height));
        }
        Changed?.Invoke();
        return null;
    }

    /// <summary>A <c>ScanoutMap</c>: the surface is now the memfd <paramref name="fd"/> (taken: closed on failure).</summary>
    public string? ApplyScanoutMap(int fd, uint offset, uint width, uint height, uint stride, uint format)
    {
        if (fd < 0)
        {
            return Refuse("scanout map without a descriptor");
        }
        if (!CheckGeometry(width, height, stride, format, out _, out string? error))
        {
            QemuNative.Close(fd);
            return Refuse(error!);
        }
        QemuMappedFrame? frame = QemuMappedFrame.Open(fd, offset, (int)width, (int)height, (int)stride, format, out error);
        if (frame is null)
        {
            return Refuse(error!);
        }
        lock (_gate)
        {
            DropMapped();
            ReturnBack();
            _mapped = frame;
            NewSurface((int)width, (int)height, "map");
            Scanouts++;
        }
        Changed?.Invoke();
        return null;
    }

    /// <summary>An <c>UpdateMap</c>: damage only; the pixels are in the memfd.</summary>
    public string? ApplyUpdateMap(int x, int y, int width, int height)
    {
        if (x < 0 || y < 0 || width <= 0 || height <= 0)
        {
            return $"update rectangle {x},{y} {width}x{height} is not on any surface";
        }
        lock (_gate)
        {
            MapUpdates++;
            if (_mapped is null)
            {
                return "update map before any scanout map";
            }
            if (!Clip(ref x, ref y, ref width, ref height, out _))
            {
                return null;
            }
            var r = new PixelRect(x, y, width, height);
            if (SameAsFront(r))
            {
                UnchangedUpdates++;
                return null;
            }
            AddDamage(r);
        }
        Changed?.Invoke();
        return null;
    }

    /// <summary><c>Disable</c>, or the listener connection ended: no surface until the next scanout.</summary>
    public void Disable()
    {
        lock (_gate)
        {
            DropMapped();
            ReturnBack();
            HasSurface = false;
            Transport = "none";
            _damage.Clear();
            _generation++;
        }
        Changed?.Invoke();
    }

    /// <summary><c>CursorDefine</c>: a new image (ARGB, bytes B, G, R, A), cropped to <see cref="RegionFormat.CursorMax"/>.</summary>
    public string? ApplyCursorDefine(int width, int height, int hotX, int hotY, ReadOnlySpan<byte> data)
    {
        if (width < 0 || height < 0 || width > 1024 || height > 1024 || data.Length != (long)width * height * 4)
        {
            return $"cursor of {width}x{height} with {data.Length} bytes of image";
        }
        int w = Math.Min(width, RegionFormat.CursorMax), h = Math.Min(height, RegionFormat.CursorMax);
        lock (_gate)
        {
            Array.Clear(_cursorImage);
            for (int row = 0; row < h; row++)
            {
                data.Slice(row * width * 4, w * 4).CopyTo(_cursorImage.AsSpan(row * RegionFormat.CursorMax * 4));
            }
            _cursorSerial++;
            _cursor = _cursor with
            {
                HotX = Math.Clamp(hotX, 0, Math.Max(w - 1, 0)),
                HotY = Math.Clamp(hotY, 0, Math.Max(h - 1, 0)),
                Width = w,
                Height = h,
                Serial = _cursorSerial,
            };
            _cursorImageDirty = true;
        }
        Changed?.Invoke();
        return null;
    }

    /// <summary><c>MouseSet</c>: where the guest's pointer is and whether it shows.</summary>
    public void ApplyMouseSet(int x, int y, bool visible)
    {
        lock (_gate)
        {
            _cursor = _cursor with { X = x, Y = y, Visible = visible };
            _cursorDirty = true;
        }
        Changed?.Invoke();
    }

    // ---- the capture loop's side ----

    /// <summary>Brings <see cref="Frame"/> up to date; the rectangles copied go to <paramref name="damage"/>.</summary>
    public RegionChange Poll(List<PixelRect> damage)
    {
        damage.Clear();
        RegionChange change = RegionChange.None;
        lock (_gate)
        {
            if (_cursorImageDirty)
            {
                _cursorImage.CopyTo(_cursorFront, 0);
                _cursorImageDirty = false;
                change |= RegionChange.CursorImage | RegionChange.Cursor;
            }
            if (_cursorDirty || _frontCursor != _cursor)
            {
                _frontCursor = _cursor;
                _cursorDirty = false;
                change |= RegionChange.Cursor;
            }
            if (!HasSurface)
            {
                if (_front is not null)
                {
                    ReleaseFront();
                    change |= RegionChange.Restart;
                }
                return change;
            }
            if (_frontGeneration != _generation || _front is null)
            {
                // A new surface of the same size (QEMU sends a whole-screen update as a Scanout) is
                // only pixels; a new size is a mode change; no frame before (first, or released) a restart.
                bool fresh = _front is null || _frontGeneration < 0;
                bool resized = !fresh && (_frontWidth != _width || _frontHeight != _height);
                if (_front is null || _front.Length != _width * 4 * _height)
                {
                    _front = null;
                    _front = GC.AllocateUninitializedArray<byte>(_width * 4 * _height);
                }
                _frontWidth = _width;
                _frontHeight = _height;
                if (!CopyToFront(new PixelRect(0, 0, _width, _height)))
                {
                    return change;
                }
                _frontGeneration = _generation;
                _damage.Clear();
                damage.Add(new PixelRect(0, 0, _width, _height));
                return change | RegionChange.Pixels | (fresh ? RegionChange.Restart : resized ? RegionChange.Mode : RegionChange.None);
            }
            if (_damage.Count == 0)
            {
                return change;
            }
            foreach (PixelRect r in _damage)
            {
                if (!CopyToFront(r))
                {
                    _damage.Clear();
                    return change;
                }
                damage.Add(r);
            }
            _damage.Clear();
            return change | RegionChange.Pixels;
        }
    }

    /// <summary>Frees the full-size frame; the next <see cref="Poll"/> copies the whole surface again.</summary>
    public void ReleaseFront()
    {
        lock (_gate)
        {
            _front = null;
            _row = null;
            _frontGeneration = -1;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            DropMapped();
            ReturnBack();
            ReleaseFront();
            _row = null;
            _budget.Release(ref _heldPixels);
        }
    }

    private bool CopyToFront(PixelRect r)
    {
        Span<byte> front = _front.AsSpan();
        int frontStride = _frontWidth * 4;
        if (_back is not null)
        {
            for (int y = r.Y; y < r.Bottom; y++)
            {
                _back.AsSpan((y * _width + r.X) * 4, r.Width * 4).CopyTo(front.Slice(y * frontStride + r.X * 4));
            }
            return true;
        }
        QemuMappedFrame map = _mapped!;
        int bpp = QemuPixelFormat.BytesPerPixel(map.Format);
        int rowBytes = r.Width * bpp;
        // One read for the whole block (rows apart by the file's stride), not one per row.
        int blockBytes = (r.Height - 1) * map.Stride + rowBytes;
        if (_row is null || _row.Length < blockBytes)
        {
            _row = null;
            _row = GC.AllocateUninitializedArray<byte>(Math.Max(blockBytes, map.Stride));
        }
        if (!map.ReadBlock(r.Y, r.X, bpp, _row.AsSpan(0, blockBytes)))
        {
            // The memfd shrank under us: QEMU broke its promise; show nothing rather than fault.
            DropMapped();
            HasSurface = false;
            Transport = "none";
            SurfaceError = "the shared memfd shrank while it was read";
            return false;
        }
        for (int y = 0; y < r.Height; y++)
        {
            QemuPixelFormat.ConvertRow(map.Format, _row.AsSpan(y * map.Stride, rowBytes),
                front.Slice((r.Y + y) * frontStride + r.X * 4, r.Width * 4), r.Width);
        }
        return true;
    }

    private bool CheckGeometry(uint width, uint height, uint stride, uint format, out int bpp, out string? error)
    {
        error = null;
        bpp = QemuPixelFormat.BytesPerPixel(format);
        if (bpp == 0)
        {
            error = $"unknown pixel format 0x{format:x8}";
        }
        else if (width == 0 || height == 0 || width > 65535 || height > 65535)
        {
            error = $"surface of {width}x{height}";
        }
        else if (stride < (ulong)width * (ulong)bpp || stride > width * (ulong)bpp + 65536)
        {
            error = $"stride {stride} does not fit a width of {width} at {bpp} bytes per pixel";
        }
        else
        {
            // Last, so a malformed announcement never holds pixels; a refused one holds none.
            error = _budget.TryReserve(ref _heldPixels, (int)width, (int)height);
        }
        return error is null;
    }

    private string Refuse(string error)
    {
        lock (_gate)
        {
            SurfaceError = error;
        }
        Changed?.Invoke();
        return error;
    }

    private void NewSurface(int width, int height, string transport)
    {
        _width = width;
        _height = height;
        _generation++;
        _damage.Clear();
        HasSurface = true;
        SurfaceError = null;
        Transport = transport;
        _staleReported = false;
    }

    private bool Clip(ref int x, ref int y, ref int width, ref int height, out bool outside)
    {
        outside = x + (long)width > _width || y + (long)height > _height;
        int right = (int)Math.Min(x + (long)width, _width), bottom = (int)Math.Min(y + (long)height, _height);
        width = right - x;
        height = bottom - y;
        return width > 0 && height > 0;
    }

    /// <summary>
    /// A small damaged area of the memfd whose pixels the front frame already holds (QEMU's VGA
    /// text cursor cell, repainted 30 times a second): read and compared here, on the listener
    /// thread, so the capture loop is not woken for it. Larger areas are left to the loop's own
    /// comparison (reading them twice would cost more than the wake-up).
    /// </summary>
    private bool SameAsFront(PixelRect r)
    {
        if (_front is null || _frontGeneration != _generation || _mapped is null || r.Width * r.Height > MaxComparedPixels ||
            r.Right > _frontWidth || r.Bottom > _frontHeight)
        {
            return false;
        }
        foreach (PixelRect pending in _damage)
        {
            if (pending.X < r.Right && r.X < pending.Right && pending.Y < r.Bottom && r.Y < pending.Bottom)
            {
                return false; // the front is about to change there anyway
            }
        }
        QemuMappedFrame map = _mapped;
        int bpp = QemuPixelFormat.BytesPerPixel(map.Format);
        int rowBytes = r.Width * bpp;
        int blockBytes = (r.Height - 1) * map.Stride + rowBytes;
        if (_row is null || _row.Length < blockBytes)
        {
            _row = GC.AllocateUninitializedArray<byte>(Math.Max(blockBytes, map.Stride));
        }
        if (!map.ReadBlock(r.Y, r.X, bpp, _row.AsSpan(0, blockBytes)))
        {
            return false; // the capture loop finds out and says so
        }
        Span<byte> converted = ConvertedRow(r.Width * 4);
        int frontStride = _frontWidth * 4;
        for (int y = 0; y < r.Height; y++)
        {
            QemuPixelFormat.ConvertRow(map.Format, _row.AsSpan(y * map.Stride, rowBytes), converted, r.Width);
            if (!converted.SequenceEqual(_front.AsSpan((r.Y + y) * frontStride + r.X * 4, r.Width * 4)))
            {
                return false;
            }
        }
        return true;
    }

    private Span<byte> ConvertedRow(int bytes)
    {
        if (_converted is null || _converted.Length < bytes)
        {
            _converted = GC.AllocateUninitializedArray<byte>(bytes);
        }
        return _converted.AsSpan(0, bytes);
    }

    private void AddDamage(PixelRect r)
    {
        if (_damage.Count < MaxDamageRects)
        {
            _damage.Add(r);
            return;
        }
        PixelRect box = r;
        foreach (PixelRect d in _damage)
        {
            box = box.Union(d);
        }
        _damage.Clear();
        _damage.Add(box);
    }

    private void DropMapped()
    {
        _mapped?.Dispose();
        _mapped = null;
    }

    private void ReturnBack()
    {
        _back = null;
    }
}
