using System.Buffers.Binary;

namespace WebConsole.Sources.Fbdev;

/// <summary>
/// The fields of <c>struct fb_var_screeninfo</c> (linux/fb.h, 160 bytes, native little-endian)
/// that place the visible picture, as FBIOGET_VSCREENINFO (0x4600) fills it.
/// </summary>
public readonly record struct FbVarScreenInfo(
    uint XRes, uint YRes, uint XResVirtual, uint YResVirtual, uint XOffset, uint YOffset,
    uint BitsPerPixel, uint Grayscale, FbBitfield Red, FbBitfield Green, FbBitfield Blue, uint NonStd)
{
    /// <summary>Bytes of the struct on Linux, on every architecture (all fields are 32-bit).</summary>
    public const int Size = 160;

    /// <summary>FBIOGET_VSCREENINFO.</summary>
    public const uint GetRequest = 0x4600;

    public static FbVarScreenInfo Parse(ReadOnlySpan<byte> b)
    {
        if (b.Length < Size)
        {
            throw new ArgumentException($"fb_var_screeninfo is {Size} bytes, got {b.Length}", nameof(b));
        }
        return new FbVarScreenInfo(U32(b, 0), U32(b, 4), U32(b, 8), U32(b, 12), U32(b, 16), U32(b, 20), U32(b, 24), U32(b, 28),
            Field(b, 32), Field(b, 44), Field(b, 56), U32(b, 80));
    }

    private static FbBitfield Field(ReadOnlySpan<byte> b, int at) => new(U32(b, at), U32(b, at + 4), U32(b, at + 8));

    private static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);
}
