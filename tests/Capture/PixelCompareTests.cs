using WebConsole.Capture;

namespace WebConsole.Tests.Capture;

/// <summary>
/// Every compare path (each vector width, the scalar one and the dispatcher) against a plain
/// byte loop, on seeded random rows of every length from 0 to 300 pixels.
/// </summary>
public sealed class PixelCompareTests
{
    private const int MaxPixels = 300;

    public static TheoryData<string> Paths => ["Vector256", "Vector128", "Scalar", "Dispatch"];

    private static bool Compare(string path, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => path switch
    {
        "Vector256" => PixelCompare.RowsEqualVector256(a, b),
        "Vector128" => PixelCompare.RowsEqualVector128(a, b),
        "Scalar" => PixelCompare.RowsEqualScalar(a, b),
        "Dispatch" => PixelCompare.RowsEqual(a, b),
        _ => throw new ArgumentOutOfRangeException(nameof(path)),
    };

    private static bool Reference(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }
        return true;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void EqualRowsOfEveryLength_CompareEqual(string path)
    {
        var random = new Random(1234);
        for (int pixels = 0; pixels <= MaxPixels; pixels++)
        {
            byte[] a = new byte[pixels * 4];
            random.NextBytes(a);
            byte[] b = (byte[])a.Clone();
            Assert.True(Compare(path, a, b), $"{pixels} pixels");
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void OneDifferentByteAtEveryPosition_CompareDifferent(string path)
    {
        var random = new Random(5678);
        for (int pixels = 0; pixels <= MaxPixels; pixels++)
        {
            byte[] a = new byte[pixels * 4];
            random.NextBytes(a);
            byte[] b = (byte[])a.Clone();
            // Every byte, so the difference lands in each vector lane, in the 16-byte
            // half-step and in the scalar tail, and in the X byte of a pixel too.
            for (int at = 0; at < b.Length; at++)
            {
                byte saved = b[at];
                b[at] ^= (byte)random.Next(1, 256);
                Assert.False(Compare(path, a, b), $"{pixels} pixels, byte {at}");
                b[at] = saved;
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void RandomRowPairs_AgreeWithByteLoop(string path)
    {
        var random = new Random(91011);
        for (int trial = 0; trial < 5000; trial++)
        {
            int pixels = random.Next(0, MaxPixels + 1);
            byte[] a = new byte[pixels * 4];
            random.NextBytes(a);
            byte[] b = (byte[])a.Clone();
            int differences = random.Next(0, 3);
            for (int d = 0; d < differences && b.Length > 0; d++)
            {
                b[random.Next(b.Length)] = (byte)random.Next(256);
            }
            // Offsets into a larger buffer, so loads are not always aligned as arrays are.
            int skew = random.Next(0, 32);
            byte[] shifted = new byte[b.Length + skew];
            b.CopyTo(shifted, skew);
            ReadOnlySpan<byte> bView = shifted.AsSpan(skew);
            Assert.Equal(Reference(a, bView), Compare(path, a, bView));
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void RowsOfDifferentLength_CompareDifferent(string path)
    {
        byte[] a = new byte[64 * 4];
        byte[] b = new byte[63 * 4];
        Assert.False(Compare(path, a, b));
        Assert.False(Compare(path, b, a));
    }
}
