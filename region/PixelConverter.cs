using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace WebConsole.Region;

/// <summary>Converts rows of any accepted format into XRGB8888 (bytes B,G,R,X).</summary>
public static class PixelConverter
{
    /// <summary>Converts <paramref name="pixels"/> pixels from <paramref name="source"/> into <paramref name="dest"/>.</summary>
    public static void ConvertRow(PixelFormat format, ReadOnlySpan<byte> source, Span<byte> dest, int pixels)
    {
        switch (format)
        {
            case PixelFormat.Xrgb8888:
            case PixelFormat.Argb8888:
                source[..(pixels * 4)].CopyTo(dest);
                break;
            case PixelFormat.Xbgr8888:
            case PixelFormat.Abgr8888:
                SwapRedBlue(MemoryMarshal.Cast<byte, uint>(source[..(pixels * 4)]), MemoryMarshal.Cast<byte, uint>(dest[..(pixels * 4)]));
                break;
            case PixelFormat.Rgb565:
                ExpandRgb565(source[..(pixels * 2)], MemoryMarshal.Cast<byte, uint>(dest[..(pixels * 4)]));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "unknown pixel format");
        }
    }

    private static void SwapRedBlue(ReadOnlySpan<uint> src, Span<uint> dst)
    {
        for (int i = 0; i < src.Length; i++)
        {
            uint v = src[i]; // little-endian: 0xXXBBGGRR -> 0xXXRRGGBB
            dst[i] = (v & 0xFF00FF00) | ((v & 0xFF) << 16) | ((v >> 16) & 0xFF);
        }
    }

    private static void ExpandRgb565(ReadOnlySpan<byte> src, Span<uint> dst)
    {
        for (int i = 0; i < dst.Length; i++)
        {
            uint v = BinaryPrimitives.ReadUInt16LittleEndian(src[(i * 2)..]);
            uint r = (v >> 11) & 0x1F, g = (v >> 5) & 0x3F, b = v & 0x1F;
            // Replicate the high bits into the low ones so 0x1F becomes 0xFF, not 0xF8.
            r = (r << 3) | (r >> 2);
            g = (g << 2) | (g >> 4);
            b = (b << 3) | (b >> 2);
            dst[i] = 0xFF000000 | (r << 16) | (g << 8) | b;
        }
    }
}
