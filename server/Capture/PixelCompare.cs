using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace WebConsole.Capture;

/// <summary>Byte-exact comparison of two pixel rows, the inner loop of <see cref="ChangeDetector"/>.</summary>
/// <remarks>
/// Written out by hand rather than calling <c>SequenceEqual</c> so that each vector width has its
/// own entry point, and the tests can pin every path against the scalar one on machines whose
/// dispatch would only ever pick one of them.
/// </remarks>
public static class PixelCompare
{
    /// <summary>True when both rows have the same length and the same bytes.</summary>
    public static bool RowsEqual(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            return RowsEqualVector256(a, b);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            return RowsEqualVector128(a, b);
        }
        return RowsEqualScalar(a, b);
    }

    /// <summary>32 bytes (8 XRGB pixels) a step, then at most one 16-byte step, then bytes.</summary>
    internal static bool RowsEqualVector256(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }
        ref byte ra = ref MemoryMarshal.GetReference(a);
        ref byte rb = ref MemoryMarshal.GetReference(b);
        nuint length = (nuint)a.Length;
        nuint i = 0;

        // A 64-pixel tile row is 256 bytes: exactly 8 of these steps, no tail.
        while (i + (nuint)Vector256<byte>.Count <= length)
        {
            if (!Vector256.EqualsAll(Vector256.LoadUnsafe(ref ra, i), Vector256.LoadUnsafe(ref rb, i)))
            {
                return false;
            }
            i += (nuint)Vector256<byte>.Count;
        }

        // Fewer than 32 bytes left (edge tiles): one 16-byte half-step covers 4 pixels of them.
        if (i + (nuint)Vector128<byte>.Count <= length)
        {
            if (!Vector128.EqualsAll(Vector128.LoadUnsafe(ref ra, i), Vector128.LoadUnsafe(ref rb, i)))
            {
                return false;
            }
            i += (nuint)Vector128<byte>.Count;
        }
        return TailEqual(ref ra, ref rb, i, length);
    }

    /// <summary>16 bytes (4 XRGB pixels) a step, then bytes.</summary>
    internal static bool RowsEqualVector128(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }
        ref byte ra = ref MemoryMarshal.GetReference(a);
        ref byte rb = ref MemoryMarshal.GetReference(b);
        nuint length = (nuint)a.Length;
        nuint i = 0;
        while (i + (nuint)Vector128<byte>.Count <= length)
        {
            if (!Vector128.EqualsAll(Vector128.LoadUnsafe(ref ra, i), Vector128.LoadUnsafe(ref rb, i)))
            {
                return false;
            }
            i += (nuint)Vector128<byte>.Count;
        }
        return TailEqual(ref ra, ref rb, i, length);
    }

    /// <summary>The reference: 8 bytes at a time through unaligned 64-bit reads, then bytes.</summary>
    internal static bool RowsEqualScalar(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }
        ref byte ra = ref MemoryMarshal.GetReference(a);
        ref byte rb = ref MemoryMarshal.GetReference(b);
        nuint length = (nuint)a.Length;
        nuint i = 0;
        while (i + sizeof(ulong) <= length)
        {
            if (Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref ra, i)) != Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref rb, i)))
            {
                return false;
            }
            i += sizeof(ulong);
        }
        return TailEqual(ref ra, ref rb, i, length);
    }

    // Rows are whole pixels in practice, but the contract is bytes, so the tail walks bytes.
    private static bool TailEqual(ref byte ra, ref byte rb, nuint i, nuint length)
    {
        for (; i < length; i++)
        {
            if (Unsafe.Add(ref ra, i) != Unsafe.Add(ref rb, i))
            {
                return false;
            }
        }
        return true;
    }
}
