using System.Buffers.Binary;

namespace WebConsole.Sources.Fbdev;

/// <summary>
/// The fields of <c>struct fb_fix_screeninfo</c> (linux/fb.h, 80 bytes on 64-bit Linux) that
/// FBIOGET_FSCREENINFO (0x4602) fills and a reader needs: the driver, the memory to map, the row
/// pitch and the pixel model.
/// </summary>
public readonly record struct FbFixScreenInfo(string Id, uint SmemLength, uint Type, uint Visual, uint LineLength)
{
    /// <summary>Bytes of the struct with 64-bit <c>unsigned long</c> (x86-64, arm64).</summary>
    public const int Size = 80;

    /// <summary>FBIOGET_FSCREENINFO.</summary>
    public const uint GetRequest = 0x4602;

    /// <summary>FB_TYPE_PACKED_PIXELS.</summary>
    public const uint TypePackedPixels = 0;

    /// <summary>FB_VISUAL_TRUECOLOR.</summary>
    public const uint VisualTrueColor = 2;

    /// <summary>FB_VISUAL_DIRECTCOLOR.</summary>
    public const uint VisualDirectColor = 4;

    public static FbFixScreenInfo Parse(ReadOnlySpan<byte> b)
    {
        if (b.Length < Size)
        {
            throw new ArgumentException($"fb_fix_screeninfo is {Size} bytes, got {b.Length}", nameof(b));
        }
        ReadOnlySpan<byte> id = b[..16];
        int end = id.IndexOf((byte)0);
        string name = System.Text.Encoding.ASCII.GetString(end < 0 ? id : id[..end]);
        // id[16], smem_start (8), smem_len @24, type @28, type_aux @32, visual @36,
        // xpanstep/ypanstep/ywrapstep (3 x u16) @40, padding, line_length @48.
        return new FbFixScreenInfo(name, U32(b, 24), U32(b, 28), U32(b, 36), U32(b, 48));
    }

    private static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);
}
