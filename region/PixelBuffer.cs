using System.Buffers;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace WebConsole.Region;

/// <summary>
/// A frame-sized buffer in anonymous memory of its own (mmap), not on the managed heap: its pages
/// cost nothing until written, and <see cref="Dispose"/> gives them back to the system at once.
/// A managed array of a frame's size lives on the large object heap until a full collection, and
/// one from <c>ArrayPool.Shared</c> (which pools arrays up to 1 GiB) is never given back at all:
/// a console that flipped between its largest and a small size kept both.
/// </summary>
/// <remarks>
/// Not thread-safe. Spans from it must not outlive <see cref="Dispose"/>: the owner disposes it only
/// where nothing else can be reading (the console's lock, or the capture loop's own thread).
/// </remarks>
public sealed unsafe class PixelBuffer : MemoryManager<byte>
{
    private byte* _pointer;
    private readonly int _length;

    private PixelBuffer(byte* pointer, int length)
    {
        _pointer = pointer;
        _length = length;
    }

    /// <summary>Bytes in the buffer.</summary>
    public int Length => _length;

    /// <summary>A zero-filled buffer of <paramref name="length"/> bytes; null when the system refuses the memory.</summary>
    public static PixelBuffer? TryAllocate(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length > int.MaxValue)
        {
            return null;
        }
        if (length == 0)
        {
            return new PixelBuffer(null, 0);
        }
        void* p = mmap(null, (size_t)(ulong)length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        return p == MAP_FAILED ? null : new PixelBuffer((byte*)p, (int)length);
    }

    /// <summary>
    /// <paramref name="buffer"/> when it already holds at least <paramref name="length"/> bytes (and is
    /// not more than twice as large, so a shrinking mode gives memory back), else a new one; the old one
    /// is disposed. Zero-filled only when new. Throws <see cref="OutOfMemoryException"/> when refused.
    /// </summary>
    public static PixelBuffer Ensure(ref PixelBuffer? buffer, long length)
    {
        if (buffer is not null && buffer._length >= length && buffer._length <= 2 * length + (1 << 20))
        {
            return buffer;
        }
        Release(ref buffer);
        buffer = TryAllocate(length) ?? throw new OutOfMemoryException($"cannot map {length} bytes for a frame buffer");
        return buffer;
    }

    /// <summary>Disposes <paramref name="buffer"/> and clears the reference.</summary>
    public static void Release(ref PixelBuffer? buffer)
    {
        ((IDisposable?)buffer)?.Dispose();
        buffer = null;
    }

    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(_pointer == null && _length != 0, this);
        return new Span<byte>(_pointer, _length);
    }

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ObjectDisposedException.ThrowIf(_pointer == null && _length != 0, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)elementIndex, (uint)_length, nameof(elementIndex));
        return new MemoryHandle(_pointer + elementIndex);
    }

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (_pointer != null)
        {
            _ = munmap(_pointer, (size_t)(ulong)_length);
            _pointer = null;
        }
    }
}
