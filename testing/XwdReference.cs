using System.Buffers.Binary;

namespace WebConsole.Testing;

/// <summary>
/// An independent reading of an <c>xwd -root</c> dump for comparison: big-endian header, then
/// 32-bit or 16-bit pixels in the dump's byte order, decoded through its masks into 0xRRGGBB.
/// </summary>
internal static class XwdReference
{
    public static uint[] Pixels(byte[] dump, out int width, out int height)
    {
        uint F(int i) => BinaryPrimitives.ReadUInt32BigEndian(dump.AsSpan(i * 4));
        int headerSize = (int)F(0), bpp = (int)F(11), bytesPerLine = (int)F(12), colors = (int)F(19);
        bool msb = F(7) == 1;
        uint red = F(14), green = F(15), blue = F(16);
        width = (int)F(4);
        height = (int)F(5);
        int offset = headerSize + colors * 12;
        var pixels = new uint[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                ReadOnlySpan<byte> at = dump.AsSpan(offset + y * bytesPerLine + x * bpp / 8);
                uint v = bpp == 32
                    ? (msb ? BinaryPrimitives.ReadUInt32BigEndian(at) : BinaryPrimitives.ReadUInt32LittleEndian(at))
                    : (msb ? BinaryPrimitives.ReadUInt16BigEndian(at) : BinaryPrimitives.ReadUInt16LittleEndian(at));
                pixels[y * width + x] = Channel(v, red) << 16 | Channel(v, green) << 8 | Channel(v, blue);
            }
        }
        return pixels;
    }

    /// <summary>The channel scaled to 8 bits with its high bits repeated below (0x1F -> 0xFF).</summary>
    private static uint Channel(uint v, uint mask)
    {
        int shift = System.Numerics.BitOperations.TrailingZeroCount(mask);
        int bits = System.Numerics.BitOperations.PopCount(mask);
        uint c = (v & mask) >> shift;
        uint result = 0;
        for (int filled = 8; filled > -bits; filled -= bits)
        {
            result |= filled >= 0 ? c << filled : c >> -filled;
        }
        return (result >> bits) & 0xFF;
    }
}
