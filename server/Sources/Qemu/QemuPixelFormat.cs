using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace WebConsole.Sources.Qemu;

/// <summary>
/// The pixman formats QEMU's display surfaces use, as the numbers it sends
/// (<c>PIXMAN_FORMAT(bpp, type, a, r, g, b)</c>), and their conversion to the frame's XRGB8888
/// (bytes B, G, R, X). x8r8g8b8 (what QEMU nearly always sends) and a8r8g8b8 are copied as is.
/// </summary>
internal static class QemuPixelFormat
{
    public const uint X8R8G8B8 = 0x20020888;
    public const uint A8R8G8B8 = 0x20028888;
    public const uint X8B8G8R8 = 0x20030888;
    public const uint A8B8G8R8 = 0x20038888;
    public const uint B8G8R8X8 = 0x20080888;
    public const uint B8G8R8A8 = 0x20088888;
    public const uint R8G8B8X8 = 0x20090888;
    public const uint R8G8B8A8 = 0x20098888;
    public const uint R8G8B8 = 0x18020888;
    public const uint B8G8R8 = 0x18030888;
    public const uint R5G6B5 = 0x10020565;
    public const uint X1R5G5B5 = 0x10020555;
    public const uint A1R5G5B5 = 0x10021555;

    /// <summary>Bytes per pixel of a format this source converts; 0 for one it does not know.</summary>
    public static int BytesPerPixel(uint format) => format switch
    {
        X8R8G8B8 or A8R8G8B8 or X8B8G8R8 or A8B8G8R8 or B8G8R8X8 or B8G8R8A8 or R8G8B8X8 or R8G8B8A8 => 4,
        R8G8B8 or B8G8R8 => 3,
        R5G6B5 or X1R5G5B5 or A1R5G5B5 => 2,
        _ => 0,
    };

    /// <summary>Converts <paramref name="width"/> pixels of <paramref name="format"/> into XRGB8888.</summary>
    public static void ConvertRow(uint format, ReadOnlySpan<byte> src, Span<byte> dest, int width)
    {
        switch (format)
        {
            case X8R8G8B8:
            case A8R8G8B8:
                src[..(width * 4)].CopyTo(dest);
                return;
        }
        Span<uint> output = MemoryMarshal.Cast<byte, uint>(dest[..(width * 4)]);
        switch (format)
        {
            case X8B8G8R8:
            case A8B8G8R8:
            {
                ReadOnlySpan<uint> input = MemoryMarshal.Cast<byte, uint>(src[..(width * 4)]);
                for (int i = 0; i < width; i++)
                {
                    uint v = input[i]; // 0xXXBBGGRR
                    output[i] = (v & 0x0000FF00) | ((v & 0xFF) << 16) | ((v >> 16) & 0xFF);
                }
                return;
            }
            case B8G8R8X8:
            case B8G8R8A8:
            {
                ReadOnlySpan<uint> input = MemoryMarshal.Cast<byte, uint>(src[..(width * 4)]);
                for (int i = 0; i < width; i++)
                {
                    output[i] = BinaryPrimitives.ReverseEndianness(input[i]) & 0x00FFFFFF; // 0xBBGGRRXX
                }
                return;
            }
            case R8G8B8X8:
            case R8G8B8A8:
            {
                ReadOnlySpan<uint> input = MemoryMarshal.Cast<byte, uint>(src[..(width * 4)]);
                for (int i = 0; i < width; i++)
                {
                    output[i] = input[i] >> 8; // 0xRRGGBBXX
                }
                return;
            }
            case R8G8B8:
                for (int i = 0; i < width; i++)
                {
                    output[i] = src[i * 3] | ((uint)src[i * 3 + 1] << 8) | ((uint)src[i * 3 + 2] << 16);
                }
                return;
            case B8G8R8:
                for (int i = 0; i < width; i++)
                {
                    output[i] = ((uint)src[i * 3] << 16) | ((uint)src[i * 3 + 1] << 8) | src[i * 3 + 2];
                }
                return;
            case R5G6B5:
                for (int i = 0; i < width; i++)
                {
                    uint v = BinaryPrimitives.ReadUInt16LittleEndian(src[(i * 2)..]);
                    uint r = (v >> 11) & 31, g = (v >> 5) & 63, b = v & 31;
                    output[i] = (((r << 3) | (r >> 2)) << 16) | (((g << 2) | (g >> 4)) << 8) | ((b << 3) | (b >> 2));
                }
                return;
            case X1R5G5B5:
            case A1R5G5B5:
                for (int i = 0; i < width; i++)
                {
                    uint v = BinaryPrimitives.ReadUInt16LittleEndian(src[(i * 2)..]);
                    uint r = (v >> 10) & 31, g = (v >> 5) & 31, b = v & 31;
                    output[i] = (((r << 3) | (r >> 2)) << 16) | (((g << 3) | (g >> 2)) << 8) | ((b << 3) | (b >> 2));
                }
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "unknown pixman format");
        }
    }
}
