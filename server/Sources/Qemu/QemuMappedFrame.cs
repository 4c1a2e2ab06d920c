using WebConsole.Region;

namespace WebConsole.Sources.Qemu;

/// <summary>
/// The memfd a QEMU 10 <c>ScanoutMap</c> shares: a trust boundary like a region file. It is mapped
/// only when sealed against shrinking (F_SEAL_SHRINK) and large enough for offset + stride x height,
/// so a read can never fault; otherwise its rows are read with pread, and a QEMU that truncates it
/// gives a short read (a rejection), never SIGBUS.
/// </summary>
internal sealed unsafe class QemuMappedFrame : IDisposable
{
    private int _fd;
    private byte* _map;
    private long _mapLength;

    private QemuMappedFrame(int fd, long offset, int width, int height, int stride, uint format)
    {
        _fd = fd;
        Offset = offset;
        Width = width;
        Height = height;
        Stride = stride;
        Format = format;
    }

    public long Offset { get; }

    public int Width { get; }

    public int Height { get; }

    public int Stride { get; }

    public uint Format { get; }

    /// <summary>True when the memfd is sealed and mapped; false when rows are read with pread.</summary>
    public bool Mapped => _map is not null;

    /// <summary>Checks and takes <paramref name="fd"/> (closed on failure); null with a reason when it cannot be used.</summary>
    public static QemuMappedFrame? Open(int fd, long offset, int width, int height, int stride, uint format, out string? error)
    {
        error = null;
        long needed = offset + (long)stride * height;
        long size = QemuNative.Size(fd);
        if (size < 0)
        {
            error = "the descriptor is not a file";
        }
        else if (offset < 0 || needed > size)
        {
            error = $"the memfd holds {size} bytes, fewer than offset {offset} + stride {stride} x height {height}";
        }
        if (error is not null)
        {
            QemuNative.Close(fd);
            return null;
        }
        var frame = new QemuMappedFrame(fd, offset, width, height, stride, format);
        if (QemuNative.IsShrinkSealed(fd))
        {
            frame._mapLength = NativeFile.Map(fd, 0, needed, write: false, out frame._map) == 0 ? needed : 0;
        }
        return frame;
    }

    /// <summary>
    /// The bytes from row <paramref name="y"/>, pixel <paramref name="x"/> on, <see cref="Stride"/> per
    /// row as in the file (<paramref name="dest"/>.Length of them: one read for a whole damaged block);
    /// false when the file shrank.
    /// </summary>
    public bool ReadBlock(int y, int x, int bytesPerPixel, Span<byte> dest)
    {
        long at = Offset + (long)y * Stride + (long)x * bytesPerPixel;
        if (_map is not null)
        {
            new ReadOnlySpan<byte>(_map + at, dest.Length).CopyTo(dest);
            return true;
        }
        return NativeFile.PRead(_fd, dest, at);
    }

    public void Dispose()
    {
        NativeFile.Unmap(_map, _mapLength);
        _map = null;
        QemuNative.Close(_fd);
        _fd = -1;
    }
}
