using System.Buffers;

namespace WebConsole.Encoding;

/// <summary>The encoders' use of <see cref="ArrayPool{T}.Shared"/>: growing scratch buffers and exact-size results.</summary>
internal static class PooledBuffers
{
    /// <summary>Makes <paramref name="buffer"/> (rented, or empty) hold at least <paramref name="size"/> bytes; contents are kept.</summary>
    public static void EnsureCapacity(ref byte[] buffer, int size, int keep = 0)
    {
        if (buffer.Length >= size)
        {
            return;
        }
        byte[] larger = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, keep).CopyTo(larger);
        Return(ref buffer);
        buffer = larger;
    }

    /// <summary>A rented copy of <paramref name="data"/>: an encoder's scratch is large, the result it keeps need not be.</summary>
    public static byte[] RentCopy(ReadOnlySpan<byte> data)
    {
        byte[] copy = ArrayPool<byte>.Shared.Rent(data.Length);
        data.CopyTo(copy);
        return copy;
    }

    public static void Return(ref byte[] buffer)
    {
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        buffer = [];
    }
}
