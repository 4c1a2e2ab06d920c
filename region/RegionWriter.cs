namespace WebConsole.Region;

/// <summary>
/// The producer side of a region, the C# twin of include/webconsole/wcfb.h: creates and maps the
/// file, hands out a buffer the consumer is not reading, publishes frames with damage, answers
/// requests, drains input and sets the cursor plane. Not thread-safe: one render loop owns it.
/// </summary>
public sealed unsafe class RegionWriter : IDisposable
{
    private readonly int _fd;
    private readonly byte* _base;
    private readonly long _size;
    private readonly byte* _meta;
    private readonly uint[] _bufferFrame = new uint[RegionFormat.MaxBuffers];
    private readonly bool[] _bufferStale = new bool[RegionFormat.MaxBuffers];
    private int _back = -1;
    private uint _served;
    private uint _pending;
    private bool _disposed;

    private RegionWriter(string path, int fd, byte* mapped, long size)
    {
        Path = path;
        _fd = fd;
        _base = mapped;
        _size = size;
        _meta = mapped + size - RegionFormat.MetaSize;
        _served = U32(RegionFormat.OffCompleteSeq);
    }

    /// <summary>The region file.</summary>
    public string Path { get; }

    public int Width => (int)U32(RegionFormat.OffWidth);

    public int Height => (int)U32(RegionFormat.OffHeight);

    public int Stride => (int)U32(RegionFormat.OffStride);

    public PixelFormat Format => (PixelFormat)U32(RegionFormat.OffFourcc);

    public int BufferCount => (int)U32(RegionFormat.OffBufferCount);

    public ulong Epoch => U64(RegionFormat.OffEpoch);

    public uint Generation => U32(RegionFormat.OffGeneration);

    public uint FrameSeq => U32(RegionFormat.OffFrameSeq);

    /// <summary>Bytes reserved per buffer: the capacity for mode changes.</summary>
    public long BufferSize => (long)U64(RegionFormat.OffBufferSize);

    /// <summary>
    /// Creates a region at <paramref name="path"/>: written under a temporary name, then renamed
    /// into place, so a consumer never sees a half-made file and sees a restart as a new file.
    /// </summary>
    public static RegionWriter Create(string path, RegionWriterOptions options)
    {
        int bpp = PixelFormats.BytesPerPixel(options.Format);
        int maxWidth = options.MaxWidth ?? options.Width, maxHeight = options.MaxHeight ?? options.Height;
        if (bpp == 0 || options.Width is < 1 or > RegionFormat.MaxDimension || options.Height is < 1 or > RegionFormat.MaxDimension ||
            maxWidth < options.Width || maxHeight < options.Height || maxWidth > RegionFormat.MaxDimension ||
            maxHeight > RegionFormat.MaxDimension || options.BufferCount is < 1 or > RegionFormat.MaxBuffers)
        {
            throw new ArgumentException($"invalid region layout {options}", nameof(options));
        }
        long bufferSize = AlignPage((long)StrideFor(maxWidth, bpp) * maxHeight);
        long size = bufferSize * options.BufferCount + RegionFormat.MetaSize;
        string temp = $"{path}.{Environment.ProcessId}.tmp";
        int error = NativeFile.Create(temp, out int fd);
        if (error != 0)
        {
            throw new IOException($"cannot create {temp}: {NativeFile.Describe(error)}");
        }
        byte* mapped = null;
        try
        {
            error = NativeFile.Truncate(fd, size);
            if (error == 0)
            {
                error = NativeFile.Map(fd, 0, size, write: true, out mapped);
            }
            if (error != 0)
            {
                throw new IOException($"cannot size or map {temp}: {NativeFile.Describe(error)}");
            }
            var writer = new RegionWriter(path, fd, mapped, size);
            writer.Initialise(options, bufferSize);
            try
            {
                File.Move(temp, path, overwrite: true); // rename(2): atomic replacement
            }
            catch
            {
                writer.Dispose();
                throw;
            }
            return writer;
        }
        catch
        {
            File.Delete(temp);
            if (mapped == null)
            {
                NativeFile.Close(fd);
            }
            throw;
        }
    }

    /// <summary>
    /// Takes over an existing region file (a producer restarting on the file it keeps): the
    /// layout stays, a new epoch tells the consumer that everything must be read again.
    /// </summary>
    public static RegionWriter Attach(string path)
    {
        int error = NativeFile.Open(path, write: true, out int fd);
        if (error != 0)
        {
            throw new IOException($"cannot open {path}: {NativeFile.Describe(error)}");
        }
        NativeFile.FStat(fd, out var id);
        byte[] snapshot = new byte[RegionFormat.SnapshotSize];
        bool read = id.Size >= RegionFormat.MinFileSize && NativeFile.PRead(fd, snapshot, id.Size - RegionFormat.MetaSize);
        snapshot[RegionFormat.OffSeq] &= 0xFE; // a predecessor may have died inside an update
        string? reason = "file too small";
        if (!read || !RegionValidator.TryValidate(snapshot, id.Size, out _, out reason))
        {
            NativeFile.Close(fd);
            throw new InvalidDataException($"{path} is not a valid region: {reason}");
        }
        error = NativeFile.Map(fd, 0, id.Size, write: true, out byte* mapped);
        if (error != 0)
        {
            NativeFile.Close(fd);
            throw new IOException($"cannot map {path}: {NativeFile.Describe(error)}");
        }
        var writer = new RegionWriter(path, fd, mapped, id.Size);
        writer.WriteBegin();
        writer.SetU64(RegionFormat.OffEpoch, NewEpoch(writer.Epoch));
        writer.SetU32(RegionFormat.OffProducerPid, (uint)Environment.ProcessId);
        writer.WriteEnd();
        Array.Fill(writer._bufferStale, true);
        return writer;
    }

    private void Initialise(RegionWriterOptions o, long bufferSize)
    {
        WriteBegin();
        SetU16(RegionFormat.OffVersionMajor, RegionFormat.VersionMajor);
        SetU16(RegionFormat.OffVersionMinor, RegionFormat.VersionMinor);
        SetU32(RegionFormat.OffMetaSize, RegionFormat.MetaSize);
        SetU32(RegionFormat.OffHeaderSize, RegionFormat.HeaderSize);
        SetU32(RegionFormat.OffFlags, o.Requested ? RegionFormat.FlagRequested : 0);
        SetU64(RegionFormat.OffEpoch, NewEpoch(0));
        SetU32(RegionFormat.OffProducerPid, (uint)Environment.ProcessId);
        SetU32(RegionFormat.OffGeneration, 1);
        SetModeFields(o.Width, o.Height, o.Format);
        SetU32(RegionFormat.OffBufferCount, (uint)o.BufferCount);
        SetU32(RegionFormat.OffFront, 0);
        for (int i = 0; i < o.BufferCount; i++)
        {
            SetU64(RegionFormat.OffBufferOffsets + 8 * i, (ulong)(bufferSize * i));
        }
        SetU64(RegionFormat.OffBufferSize, (ulong)bufferSize);
        SetU32(RegionFormat.OffMagic, RegionFormat.Magic);
        WriteEnd();
        SetU32(RegionFormat.OffConsumerHold, RegionFormat.NoBuffer);
    }

    /// <summary>
    /// Changes size or format within the buffer capacity: a new generation, after which every
    /// buffer is stale and the next frame must be drawn and published whole.
    /// </summary>
    public void SetMode(int width, int height, PixelFormat format)
    {
        int bpp = PixelFormats.BytesPerPixel(format);
        if (bpp == 0 || width < 1 || height < 1 || width > RegionFormat.MaxDimension || height > RegionFormat.MaxDimension ||
            (long)StrideFor(width, bpp) * height > BufferSize)
        {
            throw new ArgumentException($"mode {width}x{height} {format} does not fit buffers of {BufferSize} bytes");
        }
        WriteBegin();
        SetModeFields(width, height, format);
        SetU32(RegionFormat.OffGeneration, Generation + 1);
        WriteEnd();
        Array.Fill(_bufferStale, true);
    }

    private void SetModeFields(int width, int height, PixelFormat format)
    {
        SetU32(RegionFormat.OffFourcc, (uint)format);
        SetU32(RegionFormat.OffWidth, (uint)width);
        SetU32(RegionFormat.OffHeight, (uint)height);
        SetU32(RegionFormat.OffStride, (uint)StrideFor(width, PixelFormats.BytesPerPixel(format)));
    }

    /// <summary>
    /// Starts a frame in a buffer the consumer is not reading, brought up to date with the
    /// front buffer, so only what changes needs drawing. False when no buffer is free (two
    /// buffers and the consumer holds the other one): wait briefly and try again.
    /// With one buffer this is the front buffer itself (see "Buffer ownership").
    /// </summary>
    public bool TryBeginFrame(out Span<byte> pixels)
    {
        int count = BufferCount, front = (int)U32(RegionFormat.OffFront);
        int pick = -1;
        if (count == 1)
        {
            pick = 0;
        }
        else
        {
            // Dekker pair with the consumer (spec section 6): our last store of front is
            // ordered before this load of consumer_hold.
            Interlocked.MemoryBarrier();
            uint hold = Volatile.Read(ref *(uint*)(_meta + RegionFormat.OffConsumerHold));
            for (int i = 0; i < count; i++)
            {
                if (i != front && i != hold)
                {
                    pick = i;
                    break;
                }
            }
        }
        if (pick < 0)
        {
            pixels = default;
            return false;
        }
        if (pick != front)
        {
            CatchUp(pick, front);
        }
        _back = pick;
        pixels = Buffer(pick);
        return true;
    }

    /// <summary>Waits (futex on consumer_hold) until <see cref="TryBeginFrame"/> can succeed, or the timeout passes.</summary>
    public bool WaitForFreeBuffer(TimeSpan timeout)
    {
        uint* hold = (uint*)(_meta + RegionFormat.OffConsumerHold);
        uint value = Volatile.Read(ref *hold);
        if (BufferCount != 2 || value == RegionFormat.NoBuffer || value == U32(RegionFormat.OffFront))
        {
            return true;
        }
        Futex.Wait(hold, value, timeout);
        value = Volatile.Read(ref *hold);
        return value == RegionFormat.NoBuffer || value == U32(RegionFormat.OffFront);
    }

    private Span<byte> Buffer(int index) =>
        new(_base + (long)U64(RegionFormat.OffBufferOffsets + 8 * index), checked((int)((long)Stride * Height)));

    private void CatchUp(int pick, int front)
    {
        uint seq = FrameSeq, have = _bufferFrame[pick];
        if (have == seq && !_bufferStale[pick])
        {
            return;
        }
        ulong head = U64(RegionFormat.OffDamageHead);
        const int ring = RegionFormat.DamageRingSize;
        bool full = _bufferStale[pick] || _bufferStale[front] ||
            (head >= ring && (int)(U32(DamageSlot(head % ring)) - have) > 0);
        if (full)
        {
            CopyRect(pick, front, new PixelRect(0, 0, Width, Height));
        }
        else
        {
            for (ulong i = head >= ring ? head - ring : 0; i < head; i++)
            {
                int at = DamageSlot(i % ring);
                uint frame = U32(at);
                if ((int)(frame - have) > 0 && (int)(frame - seq) <= 0)
                {
                    CopyRect(pick, front, new PixelRect((int)U32(at + 4), (int)U32(at + 8), (int)U32(at + 12), (int)U32(at + 16)));
                }
            }
        }
        _bufferStale[pick] = _bufferStale[front];
    }

    private void CopyRect(int to, int from, PixelRect r)
    {
        int bpp = PixelFormats.BytesPerPixel(Format), stride = Stride;
        Span<byte> dst = Buffer(to), src = Buffer(from);
        for (int y = r.Y; y < r.Bottom; y++)
        {
            src.Slice(y * stride + r.X * bpp, r.Width * bpp).CopyTo(dst.Slice(y * stride + r.X * bpp));
        }
    }

    /// <summary>Publishes the frame begun last; empty damage means the whole frame changed.</summary>
    public void Publish(ReadOnlySpan<PixelRect> damage)
    {
        int width = Width, height = Height;
        uint seq = FrameSeq + 1;
        if (seq == 0)
        {
            seq = 1; // 0 means "no frame yet"
        }
        WriteBegin();
        ulong head = U64(RegionFormat.OffDamageHead);
        if (damage.IsEmpty)
        {
            head = AddDamage(head, seq, new PixelRect(0, 0, width, height), width, height);
        }
        foreach (PixelRect r in damage)
        {
            head = AddDamage(head, seq, r, width, height);
        }
        SetU64(RegionFormat.OffDamageHead, head);
        if (_back >= 0)
        {
            SetU32(RegionFormat.OffFront, (uint)_back);
        }
        SetU32(RegionFormat.OffFrameSeq, seq);
        WriteEnd();
        if (_back >= 0)
        {
            _bufferFrame[_back] = seq;
            _bufferStale[_back] = false;
        }
        _back = -1;
    }

    /// <summary>Publishes a full-frame damage record (a producer that tracks no damage).</summary>
    public void PublishFull() => Publish([]);

    private ulong AddDamage(ulong head, uint seq, PixelRect r, int width, int height)
    {
        int x = Math.Clamp(r.X, 0, width), y = Math.Clamp(r.Y, 0, height);
        int w = Math.Min(r.Right, width) - x, h = Math.Min(r.Bottom, height) - y;
        if (w <= 0 || h <= 0)
        {
            return head;
        }
        int at = DamageSlot(head % RegionFormat.DamageRingSize);
        SetU32(at, seq);
        SetU32(at + 4, (uint)x);
        SetU32(at + 8, (uint)y);
        SetU32(at + 12, (uint)w);
        SetU32(at + 16, (uint)h);
        SetU32(at + 20, 0);
        return head + 1;
    }

    private static int DamageSlot(ulong slot) => RegionFormat.OffDamageRing + (int)slot * RegionFormat.DamageRecordSize;

    /// <summary>Requested mode: waits for a request not yet answered. True when one is pending.</summary>
    public bool WaitForRequest(TimeSpan timeout)
    {
        uint* word = (uint*)(_meta + RegionFormat.OffRequestSeq);
        uint request = Volatile.Read(ref *word);
        if (request == _served)
        {
            Futex.Wait(word, request, timeout);
            request = Volatile.Read(ref *word);
        }
        // Only the request seen here is answered; a later one gets a newer frame.
        _pending = request;
        return request != _served;
    }

    /// <summary>Answers the request seen by the last <see cref="WaitForRequest"/>, after publishing or with nothing changed.</summary>
    public void Complete()
    {
        _served = _pending;
        Volatile.Write(ref *(uint*)(_meta + RegionFormat.OffCompleteSeq), _served);
        Futex.Wake((uint*)(_meta + RegionFormat.OffCompleteSeq));
    }

    /// <summary>Copies pending input events into <paramref name="dest"/>; returns how many.</summary>
    public int DrainInput(Span<InputEvent> dest)
    {
        uint write = Volatile.Read(ref *(uint*)(_meta + RegionFormat.OffInputWrite));
        uint read = U32(RegionFormat.OffInputRead);
        if (write - read > RegionFormat.InputRingSize)
        {
            read = write - RegionFormat.InputRingSize; // a confused consumer: keep the newest ring's worth
        }
        int n = 0;
        while (read != write && n < dest.Length)
        {
            int at = RegionFormat.OffInputRing + (int)(read % RegionFormat.InputRingSize) * RegionFormat.InputEventSize;
            dest[n++] = InputEvent.Read(new ReadOnlySpan<byte>(_meta + at, RegionFormat.InputEventSize));
            read++;
        }
        Volatile.Write(ref *(uint*)(_meta + RegionFormat.OffInputRead), read);
        return n;
    }

    /// <summary>Waits (futex) until the consumer queues input, or the timeout passes.</summary>
    public bool WaitForInput(TimeSpan timeout)
    {
        uint* word = (uint*)(_meta + RegionFormat.OffInputWrite);
        uint write = Volatile.Read(ref *word);
        if (write != U32(RegionFormat.OffInputRead))
        {
            return true;
        }
        Futex.Wait(word, write, timeout);
        return Volatile.Read(ref *word) != U32(RegionFormat.OffInputRead);
    }

    /// <summary>Sets the cursor image: ARGB8888, row-major without padding, at most 64 x 64.</summary>
    public void SetCursorImage(int width, int height, int hotX, int hotY, ReadOnlySpan<uint> argb)
    {
        if (width is < 0 or > RegionFormat.CursorMax || height is < 0 or > RegionFormat.CursorMax ||
            (width > 0 && (hotX < 0 || hotX >= width)) || (height > 0 && (hotY < 0 || hotY >= height)) ||
            argb.Length < width * height)
        {
            throw new ArgumentException($"invalid cursor {width}x{height} hotspot {hotX},{hotY}");
        }
        uint serial = U32(RegionFormat.OffCursorSerial) + 1;
        // Draw into the slot the consumer is not told about yet.
        var slot = new Span<uint>(_meta + RegionFormat.OffCursorImages + (serial & 1) * RegionFormat.CursorImageSize,
            RegionFormat.CursorMax * RegionFormat.CursorMax);
        slot.Clear();
        for (int y = 0; y < height; y++)
        {
            argb.Slice(y * width, width).CopyTo(slot.Slice(y * RegionFormat.CursorMax));
        }
        WriteBegin();
        SetU32(RegionFormat.OffCursorWidth, (uint)width);
        SetU32(RegionFormat.OffCursorHeight, (uint)height);
        SetU32(RegionFormat.OffCursorHotX, (uint)hotX);
        SetU32(RegionFormat.OffCursorHotY, (uint)hotY);
        SetU32(RegionFormat.OffCursorSerial, serial);
        WriteEnd();
    }

    /// <summary>Moves, shows or hides the cursor plane.</summary>
    public void MoveCursor(int x, int y, bool visible)
    {
        WriteBegin();
        SetU32(RegionFormat.OffCursorX, (uint)x);
        SetU32(RegionFormat.OffCursorY, (uint)y);
        SetU32(RegionFormat.OffCursorVisible, visible ? 1u : 0u);
        WriteEnd();
    }

    /// <summary>The raw metadata block, for tests that play a broken producer.</summary>
    internal Span<byte> Meta => new(_meta, RegionFormat.MetaSize);

    /// <summary>Opens a seqlock write section: seq goes odd before any field changes.</summary>
    internal void WriteBegin()
    {
        uint* seq = (uint*)(_meta + RegionFormat.OffSeq);
        Volatile.Write(ref *seq, *seq | 1);
        Interlocked.MemoryBarrier();
    }

    /// <summary>Closes the section: seq goes even (release) and sleepers are woken.</summary>
    internal void WriteEnd()
    {
        uint* seq = (uint*)(_meta + RegionFormat.OffSeq);
        Volatile.Write(ref *seq, *seq + 1);
        Futex.Wake(seq);
    }

    private uint U32(int offset) => *(uint*)(_meta + offset);

    private ulong U64(int offset) => *(ulong*)(_meta + offset);

    private void SetU16(int offset, ushort value) => *(ushort*)(_meta + offset) = value;

    private void SetU32(int offset, uint value) => *(uint*)(_meta + offset) = value;

    private void SetU64(int offset, ulong value) => *(ulong*)(_meta + offset) = value;

    private static int StrideFor(int width, int bpp) => (width * bpp + 3) & ~3;

    private static long AlignPage(long value) => (value + RegionFormat.PageSize - 1) & ~(long)(RegionFormat.PageSize - 1);

    private static ulong NewEpoch(ulong previous)
    {
        ulong epoch;
        do
        {
            epoch = (ulong)Random.Shared.NextInt64() | 1;
        }
        while (epoch == previous);
        return epoch;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        NativeFile.Unmap(_base, _size);
        NativeFile.Close(_fd);
    }
}
