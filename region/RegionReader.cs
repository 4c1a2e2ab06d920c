using static Tmds.Linux.LibC;

namespace WebConsole.Region;

/// <summary>
/// The consumer side of a region. Keeps a private XRGB8888 copy of the frame up to date from
/// the producer's front buffer, following the damage ring, and reports what changed.
/// </summary>
/// <remarks>
/// Everything the reader takes from the file goes through pread/pwrite: a file that shrinks
/// under the reader gives a short read and a clear status, never SIGBUS (which would kill the
/// process). The only mapping is the metadata block, used solely as futex words, and futex on
/// a page past the end of the file fails with EFAULT instead of faulting.
/// Not thread-safe: one capture loop owns a reader.
/// </remarks>
public sealed unsafe class RegionReader : IDisposable
{
    // A producer update takes microseconds, but a preempted producer may hold the lock for a
    // few scheduler ticks; past this it is stuck or dead.
    private const long StuckAfterMs = 50;
    private const int AcquireAttempts = 16;

    private readonly byte[] _snapshot = new byte[RegionFormat.SnapshotSize];
    private readonly byte[] _cursorImage = new byte[RegionFormat.CursorImageSize];
    private readonly List<PixelRect> _damage = new(RegionFormat.DamageRingSize);
    private int _fd = -1;
    private NativeFile.FileIdentity _file;
    private byte* _meta;
    private long _metaOffset;
    private RegionHeader _header;
    private bool _haveFrame;
    private uint _lastFrame;
    private uint _cursorSerial;
    private bool _haveCursorImage;
    private uint _requestSeq;
    private uint _inputWrite;
    private readonly object _sleepGate = new();
    private int _wakeRequested;
    // Rows of a damaged rectangle are read in slices of at most this many bytes (but one row at
    // least), so the scratch buffer stays small whatever the producer claims.
    private const int ScratchBytes = 1 << 20;

    private readonly PixelBudget _budget;
    private long _heldPixels;
    private PixelBuffer? _frame;
    private byte[] _scratch = [];

    /// <summary>
    /// Creates a reader for the region file at <paramref name="path"/>; nothing is opened until the
    /// first poll. A mode over <paramref name="budget"/> (default: unlimited) is reported invalid
    /// before anything is allocated for it.
    /// </summary>
    public RegionReader(string path, PixelBudget? budget = null)
    {
        Path = path;
        _budget = budget ?? PixelBudget.Unlimited;
        Reason = $"waiting for producer: {path} not opened yet";
    }

    /// <summary>The region file.</summary>
    public string Path { get; }

    public RegionStatus Status { get; private set; } = RegionStatus.Waiting;

    /// <summary>Why the region is waiting or invalid; null when ready.</summary>
    public string? Reason { get; private set; }

    /// <summary>The last valid header (meaningful once <see cref="Status"/> has been Ready).</summary>
    public RegionHeader Header => _header;

    /// <summary>Rectangles updated by the last poll (the whole frame after a mode change or restart).</summary>
    public IReadOnlyList<PixelRect> Damage => _damage;

    public int FrameWidth => _haveFrame ? _header.Width : 0;

    public int FrameHeight => _haveFrame ? _header.Height : 0;

    /// <summary>Bytes per row of <see cref="Frame"/>: width x 4.</summary>
    public int FrameStride => FrameWidth * 4;

    /// <summary>The consumer's copy of the frame in XRGB8888.</summary>
    public ReadOnlySpan<byte> Frame => _haveFrame && _frame is not null ? _frame.GetSpan()[..(FrameStride * FrameHeight)] : default;

    /// <summary>The same copy as memory, for encoders that work on several threads. Valid until the next poll.</summary>
    public ReadOnlyMemory<byte> FrameMemory => _haveFrame && _frame is not null ? _frame.Memory[..(FrameStride * FrameHeight)] : ReadOnlyMemory<byte>.Empty;

    public CursorState Cursor => _header.Cursor;

    /// <summary>The cursor image: ARGB8888, 64 pixels (256 bytes) per row, <see cref="CursorState.Width"/> x Height used.</summary>
    public ReadOnlySpan<byte> CursorImage => _cursorImage;

    /// <summary>Brings the frame copy up to date and says what changed. Never throws for anything the file contains.</summary>
    public RegionChange Poll()
    {
        _damage.Clear();
        RegionStatus oldStatus = Status;
        string? oldReason = Reason;
        RegionChange change = PollCore();
        if (Status != oldStatus || Reason != oldReason)
        {
            change |= RegionChange.Status;
        }
        return change;
    }

    private RegionChange PollCore()
    {
        RegionChange change = RegionChange.None;
        if (!EnsureOpen(ref change, out bool reopened))
        {
            return change;
        }
        if (!reopened && _haveFrame && Status == RegionStatus.Ready &&
            NativeFile.PReadU32(_fd, _metaOffset + RegionFormat.OffSeq, out uint seq) && seq == _header.Seq)
        {
            return change; // the fast path of a static screen: one 4-byte read
        }
        if (!TryReadSnapshot(out RegionHeader h))
        {
            return change;
        }
        RegionHeader previous = _header;
        bool full = (change & RegionChange.Restart) != 0;
        if (!_haveFrame || h.Epoch != _header.Epoch)
        {
            change |= _haveFrame ? RegionChange.Restart : RegionChange.None;
            full = true;
        }
        for (int attempt = 0; ; attempt++)
        {
            if (!_haveFrame || !h.SameModeAs(_header))
            {
                if (_haveFrame && h.Epoch == _header.Epoch)
                {
                    change |= RegionChange.Mode;
                }
                if (!SetMode(h))
                {
                    return change;
                }
                full = true;
            }
            if (!full && h.FrameSeq == _lastFrame)
            {
                break;
            }
            if (attempt == AcquireAttempts)
            {
                // The producer keeps moving the front faster than we can pin it; try next poll.
                ReleaseHold();
                return change;
            }
            if (h.BufferCount > 1)
            {
                // Pin the front buffer, then make sure it is still the front (see "Buffer ownership").
                if (!NativeFile.PWriteU32(_fd, _metaOffset + RegionFormat.OffConsumerHold, (uint)h.Front))
                {
                    SetInvalid("region file could not be written (consumer_hold)");
                    return change;
                }
                Interlocked.MemoryBarrier();
                if (!TryReadSnapshot(out RegionHeader again))
                {
                    return change;
                }
                if (again.Front != h.Front || again.FrameSeq != h.FrameSeq || !again.SameModeAs(h))
                {
                    h = again;
                    continue;
                }
                h = again;
            }
            bool wholeFrame = full || DamageRing.Collect(_snapshot, h, _lastFrame, _damage) != DamageOutcome.Complete;
            if (wholeFrame)
            {
                _damage.Clear();
                _damage.Add(new PixelRect(0, 0, h.Width, h.Height));
            }
            if (!CopyDamage(h))
            {
                ReleaseHold();
                return change;
            }
            if (h.BufferCount == 1 && !h.Requested)
            {
                // One free-running buffer: if a frame was published while we copied, the copy may
                // mix two frames; go again from the same last frame so the union covers both.
                if (!TryReadSnapshot(out RegionHeader again))
                {
                    return change;
                }
                if (again.FrameSeq != h.FrameSeq || !again.SameModeAs(h))
                {
                    h = again;
                    full |= wholeFrame;
                    continue;
                }
            }
            ReleaseHold();
            _lastFrame = h.FrameSeq;
            change |= RegionChange.Pixels;
            break;
        }
        _header = h;
        _haveFrame = true;
        ReadCursor(previous, ref change);
        SetReady();
        return change;
    }

    private bool EnsureOpen(ref RegionChange change, out bool reopened)
    {
        reopened = false;
        if (_fd >= 0)
        {
            // Replaced (renamed over) or deleted: the producer is gone or restarted.
            int pathError = NativeFile.Stat(Path, out var onDisk);
            if (pathError != 0 || onDisk.Inode != _file.Inode || onDisk.Device != _file.Device)
            {
                CloseFile();
                if (_haveFrame)
                {
                    change |= RegionChange.Restart;
                }
            }
        }
        if (_fd < 0)
        {
            int error = NativeFile.Open(Path, write: true, out _fd);
            if (error != 0)
            {
                SetWaiting(error == ENOENT
                    ? $"waiting for producer: {Path} does not exist"
                    : $"waiting for producer: cannot open {Path}: {NativeFile.Describe(error)}");
                return false;
            }
            if (NativeFile.FStat(_fd, out _file) != 0)
            {
                CloseFile();
                SetWaiting($"waiting for producer: cannot stat {Path}");
                return false;
            }
            _haveCursorImage = false;
            reopened = true;
            return MapMeta() && SyncConsumerCounters();
        }
        if (NativeFile.FStat(_fd, out var now) != 0)
        {
            SetInvalid("cannot stat the open region file");
            return false;
        }
        if (now.Size != _file.Size)
        {
            _file = now;
            reopened = true;
            return MapMeta();
        }
        if (_meta == null)
        {
            // Still too small or misshapen: say why again, not that it shrank.
            return MapMeta();
        }
        return true;
    }

    private bool MapMeta()
    {
        UnmapMeta();
        string? problem = RegionValidator.CheckFile(_file.Size);
        if (problem is not null)
        {
            SetInvalid(problem);
            return false;
        }
        _metaOffset = _file.Size - RegionFormat.MetaSize;
        int error = NativeFile.Map(_fd, _metaOffset, RegionFormat.MetaSize, write: true, out _meta);
        if (error != 0)
        {
            SetInvalid($"cannot map the metadata block: {NativeFile.Describe(error)}");
            return false;
        }
        return true;
    }

    private bool SyncConsumerCounters()
    {
        // We are the only writer of these; continue from what the file holds.
        if (!NativeFile.PReadU32(_fd, _metaOffset + RegionFormat.OffRequestSeq, out _requestSeq) ||
            !NativeFile.PReadU32(_fd, _metaOffset + RegionFormat.OffInputWrite, out _inputWrite))
        {
            SetInvalid("region file is shorter than its size says");
            return false;
        }
        return true;
    }

    /// <summary>Reads header and damage ring under the seqlock and validates them.</summary>
    private bool TryReadSnapshot(out RegionHeader header)
    {
        header = default;
        long seqAt = _metaOffset + RegionFormat.OffSeq;
        SpinWait spin = default;
        long started = Environment.TickCount64;
        while (Environment.TickCount64 - started < StuckAfterMs)
        {
            if (!NativeFile.PReadU32(_fd, seqAt, out uint before) ||
                ((before & 1) == 0 && !NativeFile.PRead(_fd, _snapshot, _metaOffset)))
            {
                SetInvalid("region file shrank while being read");
                return false;
            }
            if ((before & 1) != 0)
            {
                spin.SpinOnce();
                continue;
            }
            // Acquire: the copy above completes before the re-read of seq below.
            Interlocked.MemoryBarrier();
            if (!NativeFile.PReadU32(_fd, seqAt, out uint after))
            {
                SetInvalid("region file shrank while being read");
                return false;
            }
            if (before != after || RegionValidator.U32(_snapshot, RegionFormat.OffSeq) != before)
            {
                spin.SpinOnce();
                continue;
            }
            if (!RegionValidator.TryValidate(_snapshot, _file.Size, out header, out string? reason))
            {
                if (RegionValidator.U32(_snapshot, RegionFormat.OffMagic) == 0)
                {
                    SetWaiting($"waiting for producer: {reason}");
                }
                else
                {
                    SetInvalid(reason!);
                }
                return false;
            }
            return true;
        }
        SetInvalid("producer holds the header lock (seq stays odd): stuck or dead in an update");
        return false;
    }

    private bool SetMode(in RegionHeader h)
    {
        string? refused = _budget.TryReserve(ref _heldPixels, h.Width, h.Height);
        if (refused is not null)
        {
            ReleaseFrame();
            SetInvalid(refused);
            return false;
        }
        long bytes = (long)h.Width * h.Height * 4;
        PixelBuffer? old = _frame;
        PixelBuffer frame = PixelBuffer.Ensure(ref _frame, bytes);
        if (ReferenceEquals(old, frame))
        {
            frame.GetSpan()[..(int)bytes].Clear(); // a new one is zero-filled already
        }
        _header = h;
        _haveFrame = true;
        return true;
    }

    /// <summary>
    /// Frees the frame copy (nobody watches). The next <see cref="Poll"/> reads the whole frame again,
    /// reserving its pixels anew.
    /// </summary>
    public void ReleaseFrame()
    {
        PixelBuffer.Release(ref _frame);
        _scratch = [];
        _haveFrame = false;
        _budget.Release(ref _heldPixels);
    }

    private bool CopyDamage(in RegionHeader h)
    {
        int bpp = h.BytesPerPixel;
        long buffer = h.BufferOffset(h.Front);
        int frameStride = h.Width * 4;
        Span<byte> frame = _frame!.GetSpan();
        foreach (PixelRect r in _damage)
        {
            // One pread covers a slice of the rectangle's rows, from its first to its last pixel.
            int rowBytes = r.Width * bpp;
            int rowsPerRead = (int)Math.Clamp((ScratchBytes - rowBytes) / (long)h.Stride + 1, 1, r.Height);
            int length = checked((int)((long)(rowsPerRead - 1) * h.Stride + rowBytes));
            if (_scratch.Length < length)
            {
                _scratch = GC.AllocateUninitializedArray<byte>(length);
            }
            for (int y0 = 0; y0 < r.Height; y0 += rowsPerRead)
            {
                int rows = Math.Min(rowsPerRead, r.Height - y0);
                long first = (long)(r.Y + y0) * h.Stride + (long)r.X * bpp;
                Span<byte> read = _scratch.AsSpan(0, (int)((long)(rows - 1) * h.Stride + rowBytes));
                if (!NativeFile.PRead(_fd, read, buffer + first))
                {
                    SetInvalid("region file shrank while pixels were read");
                    return false;
                }
                for (int y = 0; y < rows; y++)
                {
                    PixelConverter.ConvertRow(h.Format, read.Slice(y * h.Stride, rowBytes),
                        frame.Slice((r.Y + y0 + y) * frameStride + r.X * 4, r.Width * 4), r.Width);
                }
            }
        }
        return true;
    }

    private void ReleaseHold()
    {
        if (_fd >= 0 && _meta != null && _header.BufferCount > 1)
        {
            NativeFile.PWriteU32(_fd, _metaOffset + RegionFormat.OffConsumerHold, RegionFormat.NoBuffer);
            Futex.Wake((uint*)(_meta + RegionFormat.OffConsumerHold));
        }
    }

    private void ReadCursor(in RegionHeader previous, ref RegionChange change)
    {
        CursorState c = _header.Cursor;
        if (c != previous.Cursor)
        {
            change |= RegionChange.Cursor;
        }
        if (_haveCursorImage && c.Serial == _cursorSerial)
        {
            return;
        }
        int slot = (int)(c.Serial & 1);
        long at = _metaOffset + RegionFormat.OffCursorImages + (long)slot * RegionFormat.CursorImageSize;
        int rows = c.Height * RegionFormat.CursorMax * 4;
        _cursorImage.AsSpan().Clear();
        if (!NativeFile.PRead(_fd, _cursorImage.AsSpan(0, rows), at) ||
            !NativeFile.PReadU32(_fd, _metaOffset + RegionFormat.OffCursorSerial, out uint serialAfter) ||
            serialAfter != c.Serial)
        {
            // Changed while we copied it: read it again on the next poll.
            _haveCursorImage = false;
            return;
        }
        // Clear the columns right of the image so stray bytes never show.
        for (int y = 0; y < c.Height; y++)
        {
            _cursorImage.AsSpan(y * RegionFormat.CursorMax * 4 + c.Width * 4, (RegionFormat.CursorMax - c.Width) * 4).Clear();
        }
        _cursorSerial = c.Serial;
        _haveCursorImage = true;
        change |= RegionChange.CursorImage;
    }

    /// <summary>Asks the producer for an update (requested mode). False when no region is open.</summary>
    public bool RequestUpdate()
    {
        if (_fd < 0 || _meta == null)
        {
            return false;
        }
        _requestSeq++;
        if (!NativeFile.PWriteU32(_fd, _metaOffset + RegionFormat.OffRequestSeq, _requestSeq))
        {
            return false;
        }
        Futex.Wake((uint*)(_meta + RegionFormat.OffRequestSeq));
        return true;
    }

    /// <summary>Waits until the producer has answered the last request. False on timeout or when the region is gone.</summary>
    public bool WaitForCompletion(TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (_fd >= 0 && _meta != null)
        {
            if (TakeWake())
            {
                return false;
            }
            if (!NativeFile.PReadU32(_fd, _metaOffset + RegionFormat.OffCompleteSeq, out uint done))
            {
                return false;
            }
            if ((int)(done - _requestSeq) >= 0)
            {
                return true;
            }
            long left = deadline - Environment.TickCount64;
            if (left <= 0)
            {
                return false;
            }
            int rc = Futex.Wait((uint*)(_meta + RegionFormat.OffCompleteSeq), done, TimeSpan.FromMilliseconds(left));
            if (rc == EFAULT)
            {
                return false;
            }
        }
        return false;
    }

    /// <summary>
    /// Sleeps until the header changes after the last poll (any producer publish or cursor
    /// update), or the timeout passes. True when something changed.
    /// </summary>
    public bool WaitForChange(TimeSpan timeout)
    {
        if (_fd < 0 || _meta == null || Status != RegionStatus.Ready)
        {
            // Nothing to sleep on until a producer appears: the caller polls at this pace.
            lock (_sleepGate)
            {
                if (!TakeWake())
                {
                    Monitor.Wait(_sleepGate, timeout);
                    TakeWake();
                }
            }
            return false;
        }
        if (TakeWake())
        {
            return false;
        }
        int rc = Futex.Wait((uint*)(_meta + RegionFormat.OffSeq), _header.Seq, timeout);
        return rc != ETIMEDOUT;
    }

    /// <summary>
    /// Makes a <see cref="WaitForChange"/> or <see cref="WaitForCompletion"/> in progress (or the
    /// next one) return early. Any thread. The futex words are woken in the mapping as last seen: a
    /// mapping replaced at that moment only gets a spurious wake-up (or EFAULT), and a wake that
    /// lands between a waiter's check and its futex call is lost, which costs that wait its timeout.
    /// </summary>
    public void Wake()
    {
        Volatile.Write(ref _wakeRequested, 1);
        lock (_sleepGate)
        {
            Monitor.PulseAll(_sleepGate);
        }
        byte* meta = _meta;
        if (meta != null)
        {
            Futex.Wake((uint*)(meta + RegionFormat.OffSeq));
            Futex.Wake((uint*)(meta + RegionFormat.OffCompleteSeq));
        }
    }

    private bool TakeWake() => Interlocked.Exchange(ref _wakeRequested, 0) != 0;

    /// <summary>Queues an input event for the producer. False when the ring is full or no region is open.</summary>
    public bool TrySendInput(in InputEvent e)
    {
        if (_fd < 0 || _meta == null ||
            !NativeFile.PReadU32(_fd, _metaOffset + RegionFormat.OffInputRead, out uint read) ||
            _inputWrite - read >= RegionFormat.InputRingSize)
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[RegionFormat.InputEventSize];
        e.Write(bytes);
        long slot = _metaOffset + RegionFormat.OffInputRing + (_inputWrite % RegionFormat.InputRingSize) * RegionFormat.InputEventSize;
        if (!NativeFile.PWrite(_fd, bytes, slot))
        {
            return false;
        }
        // Release: the event is in the ring before the producer can see the new count.
        Interlocked.MemoryBarrier();
        if (!NativeFile.PWriteU32(_fd, _metaOffset + RegionFormat.OffInputWrite, _inputWrite + 1))
        {
            return false;
        }
        _inputWrite++;
        Futex.Wake((uint*)(_meta + RegionFormat.OffInputWrite));
        // A requested-mode producer sleeps on request_seq: wake it too, so input is not late.
        Futex.Wake((uint*)(_meta + RegionFormat.OffRequestSeq));
        return true;
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
        Reason = "invalid region: " + reason;
    }

    private void UnmapMeta()
    {
        NativeFile.Unmap(_meta, RegionFormat.MetaSize);
        _meta = null;
    }

    private void CloseFile()
    {
        UnmapMeta();
        NativeFile.Close(_fd);
        _fd = -1;
    }

    public void Dispose()
    {
        ReleaseHold();
        CloseFile();
        ReleaseFrame();
    }
}
