using System.Buffers.Binary;

namespace WebConsole.Region;

/// <summary>
/// Checks a header snapshot against the real file size before anything in it is trusted. Every
/// rejection names its reason; nothing here throws or reads outside the snapshot.
/// </summary>
public static class RegionValidator
{
    /// <summary>Validates the metadata bytes of a region whose file is <paramref name="fileSize"/> bytes.</summary>
    /// <param name="snapshot">At least <see cref="RegionFormat.SnapshotSize"/> bytes from the start of the metadata block.</param>
    /// <param name="fileSize">The size of the region file now.</param>
    /// <param name="header">The parsed header when valid.</param>
    /// <param name="reason">Why the header was rejected, for operators.</param>
    public static bool TryValidate(ReadOnlySpan<byte> snapshot, long fileSize, out RegionHeader header, out string? reason)
    {
        header = default;
        reason = CheckFile(fileSize) ?? CheckHeader(snapshot, fileSize);
        if (reason is not null)
        {
            return false;
        }
        header = Parse(snapshot);
        return true;
    }

    /// <summary>Checks that a file of this size can hold a region at all.</summary>
    public static string? CheckFile(long fileSize)
    {
        if (fileSize < RegionFormat.MinFileSize)
        {
            return $"file is {fileSize} bytes, smaller than the smallest region ({RegionFormat.MinFileSize} bytes)";
        }
        if (fileSize % RegionFormat.PageSize != 0)
        {
            return $"file size {fileSize} is not a multiple of the {RegionFormat.PageSize}-byte page";
        }
        return null;
    }

    private static string? CheckHeader(ReadOnlySpan<byte> s, long fileSize)
    {
        if (s.Length < RegionFormat.SnapshotSize)
        {
            return $"metadata snapshot is {s.Length} bytes, expected {RegionFormat.SnapshotSize}";
        }
        uint magic = U32(s, RegionFormat.OffMagic);
        if (magic == 0)
        {
            return "region is not initialised yet (magic is 0)";
        }
        if (magic != RegionFormat.Magic)
        {
            return $"bad magic 0x{magic:X8}, expected 0x{RegionFormat.Magic:X8} (\"WCFB\")";
        }
        ushort major = U16(s, RegionFormat.OffVersionMajor), minor = U16(s, RegionFormat.OffVersionMinor);
        if (major != RegionFormat.VersionMajor)
        {
            return $"unsupported format version {major}.{minor}, this consumer reads {RegionFormat.VersionMajor}.x";
        }
        uint metaSize = U32(s, RegionFormat.OffMetaSize);
        if (metaSize != RegionFormat.MetaSize)
        {
            return $"metadata size {metaSize}, expected {RegionFormat.MetaSize}";
        }
        uint headerSize = U32(s, RegionFormat.OffHeaderSize);
        if (headerSize != RegionFormat.HeaderSize)
        {
            return $"header size {headerSize}, expected {RegionFormat.HeaderSize}";
        }
        if ((U32(s, RegionFormat.OffSeq) & 1) != 0)
        {
            return "header is in the middle of an update (odd seq)";
        }
        if (U64(s, RegionFormat.OffEpoch) == 0)
        {
            return "producer epoch is 0";
        }
        uint fourcc = U32(s, RegionFormat.OffFourcc);
        int bpp = PixelFormats.BytesPerPixel((PixelFormat)fourcc);
        if (bpp == 0)
        {
            return $"unknown pixel format {PixelFormats.Name(fourcc)}";
        }
        uint width = U32(s, RegionFormat.OffWidth), height = U32(s, RegionFormat.OffHeight);
        if (width == 0 || height == 0 || width > RegionFormat.MaxDimension || height > RegionFormat.MaxDimension)
        {
            return $"size {width}x{height} is outside 1..{RegionFormat.MaxDimension}";
        }
        ulong stride = U32(s, RegionFormat.OffStride);
        if (stride < (ulong)width * (ulong)bpp)
        {
            return $"stride {stride} is smaller than a row ({width} x {bpp} = {(ulong)width * (ulong)bpp} bytes)";
        }
        if (stride % (ulong)bpp != 0)
        {
            return $"stride {stride} is not a multiple of the {bpp}-byte pixel";
        }
        uint count = U32(s, RegionFormat.OffBufferCount);
        if (count is 0 or > RegionFormat.MaxBuffers)
        {
            return $"buffer count {count} is outside 1..{RegionFormat.MaxBuffers}";
        }
        uint front = U32(s, RegionFormat.OffFront);
        if (front >= count)
        {
            return $"front buffer index {front} is out of range for {count} buffers";
        }
        ulong bufferSize = U64(s, RegionFormat.OffBufferSize);
        ulong frameBytes = stride * height; // < 2^32 * 2^14: cannot overflow
        if (bufferSize < frameBytes)
        {
            return $"buffer size {bufferSize} is smaller than stride x height ({frameBytes} bytes)";
        }
        if (frameBytes > RegionFormat.MaxFrameBytes)
        {
            return $"frame of {frameBytes} bytes (stride x height) is above the {RegionFormat.MaxFrameBytes}-byte limit";
        }
        ulong pixelArea = (ulong)(fileSize - RegionFormat.MetaSize);
        if (bufferSize > pixelArea)
        {
            return $"buffer size {bufferSize} does not fit the {pixelArea} bytes before the metadata";
        }
        for (int i = 0; i < count; i++)
        {
            ulong offset = U64(s, RegionFormat.OffBufferOffsets + 8 * i);
            if (offset % RegionFormat.PageSize != 0)
            {
                return $"buffer {i} offset {offset} is not page-aligned";
            }
            if (offset > pixelArea - bufferSize)
            {
                return $"buffer {i} at offset {offset} with size {bufferSize} runs past the pixel area ({pixelArea} bytes)";
            }
            for (int j = 0; j < i; j++)
            {
                ulong other = U64(s, RegionFormat.OffBufferOffsets + 8 * j);
                ulong distance = offset > other ? offset - other : other - offset;
                if (distance < bufferSize)
                {
                    return $"buffers {j} and {i} overlap";
                }
            }
        }
        uint cw = U32(s, RegionFormat.OffCursorWidth), ch = U32(s, RegionFormat.OffCursorHeight);
        if (cw > RegionFormat.CursorMax || ch > RegionFormat.CursorMax)
        {
            return $"cursor image {cw}x{ch} is larger than {RegionFormat.CursorMax}x{RegionFormat.CursorMax}";
        }
        uint hx = U32(s, RegionFormat.OffCursorHotX), hy = U32(s, RegionFormat.OffCursorHotY);
        if ((cw > 0 && hx >= cw) || (ch > 0 && hy >= ch))
        {
            return $"cursor hotspot {hx},{hy} lies outside its {cw}x{ch} image";
        }
        return null;
    }

    private static RegionHeader Parse(ReadOnlySpan<byte> s) => new()
    {
        Seq = U32(s, RegionFormat.OffSeq),
        Flags = U32(s, RegionFormat.OffFlags),
        Epoch = U64(s, RegionFormat.OffEpoch),
        ProducerPid = U32(s, RegionFormat.OffProducerPid),
        Generation = U32(s, RegionFormat.OffGeneration),
        Format = (PixelFormat)U32(s, RegionFormat.OffFourcc),
        Width = (int)U32(s, RegionFormat.OffWidth),
        Height = (int)U32(s, RegionFormat.OffHeight),
        Stride = (int)U32(s, RegionFormat.OffStride),
        BufferCount = (int)U32(s, RegionFormat.OffBufferCount),
        Front = (int)U32(s, RegionFormat.OffFront),
        BufferOffset0 = (long)U64(s, RegionFormat.OffBufferOffsets),
        BufferOffset1 = (long)U64(s, RegionFormat.OffBufferOffsets + 8),
        BufferOffset2 = (long)U64(s, RegionFormat.OffBufferOffsets + 16),
        BufferSize = (long)U64(s, RegionFormat.OffBufferSize),
        FrameSeq = U32(s, RegionFormat.OffFrameSeq),
        DamageHead = U64(s, RegionFormat.OffDamageHead),
        Cursor = new CursorState(
            (int)U32(s, RegionFormat.OffCursorX),
            (int)U32(s, RegionFormat.OffCursorY),
            (int)U32(s, RegionFormat.OffCursorHotX),
            (int)U32(s, RegionFormat.OffCursorHotY),
            (int)U32(s, RegionFormat.OffCursorWidth),
            (int)U32(s, RegionFormat.OffCursorHeight),
            U32(s, RegionFormat.OffCursorVisible) != 0,
            U32(s, RegionFormat.OffCursorSerial)),
    };

    internal static uint U32(ReadOnlySpan<byte> s, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(s[offset..]);

    internal static ushort U16(ReadOnlySpan<byte> s, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(s[offset..]);

    internal static ulong U64(ReadOnlySpan<byte> s, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(s[offset..]);
}
