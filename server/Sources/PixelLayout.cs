namespace WebConsole.Sources;

/// <summary>
/// Where red, green and blue sit in a packed pixel of 16, 24 or 32 bits, as an XWD visual's masks
/// or a Linux framebuffer's bitfields describe it.
/// </summary>
/// <param name="BitsPerPixel">16, 24 or 32.</param>
/// <param name="BigEndian">The pixel's bytes are stored most significant first.</param>
public readonly record struct PixelLayout(
    int BitsPerPixel, int RedOffset, int RedLength, int GreenOffset, int GreenLength, int BlueOffset, int BlueLength, bool BigEndian = false)
{
    /// <summary>XRGB8888: bytes B,G,R,X in memory.</summary>
    public static readonly PixelLayout Xrgb8888 = new(32, 16, 8, 8, 8, 0, 8);

    /// <summary>XBGR8888: bytes R,G,B,X in memory.</summary>
    public static readonly PixelLayout Xbgr8888 = new(32, 0, 8, 8, 8, 16, 8);

    /// <summary>RGB565, little-endian.</summary>
    public static readonly PixelLayout Rgb565 = new(16, 11, 5, 5, 6, 0, 5);

    public int BytesPerPixel => BitsPerPixel / 8;

    /// <summary>A layout from channel masks (an XWD visual); false when a mask is not one run of bits.</summary>
    public static bool TryFromMasks(int bitsPerPixel, uint red, uint green, uint blue, bool bigEndian, out PixelLayout layout)
    {
        layout = default;
        if (!TryRun(red, out int ro, out int rl) || !TryRun(green, out int go, out int gl) || !TryRun(blue, out int bo, out int bl))
        {
            return false;
        }
        layout = new PixelLayout(bitsPerPixel, ro, rl, go, gl, bo, bl, bigEndian);
        return true;
    }

    /// <summary>Why this layout cannot be converted, or null when it can.</summary>
    public string? Problem()
    {
        if (BitsPerPixel is not (16 or 24 or 32))
        {
            return $"{BitsPerPixel} bits per pixel (16, 24 or 32 are supported)";
        }
        if (!Fits(RedOffset, RedLength) || !Fits(GreenOffset, GreenLength) || !Fits(BlueOffset, BlueLength))
        {
            return $"channels red {RedOffset}+{RedLength}, green {GreenOffset}+{GreenLength}, blue {BlueOffset}+{BlueLength} do not fit in {BitsPerPixel} bits";
        }
        uint r = Mask(RedOffset, RedLength), g = Mask(GreenOffset, GreenLength), b = Mask(BlueOffset, BlueLength);
        if ((r & g) != 0 || (r & b) != 0 || (g & b) != 0)
        {
            return $"channels red {RedOffset}+{RedLength}, green {GreenOffset}+{GreenLength}, blue {BlueOffset}+{BlueLength} overlap";
        }
        return null;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{BitsPerPixel} bpp R{RedOffset}+{RedLength} G{GreenOffset}+{GreenLength} B{BlueOffset}+{BlueLength}{(BigEndian ? " big-endian" : "")}";

    private bool Fits(int offset, int length) => length is >= 1 and <= 16 && offset >= 0 && offset + length <= BitsPerPixel;

    private static uint Mask(int offset, int length) => ((1u << length) - 1) << offset;

    private static bool TryRun(uint mask, out int offset, out int length)
    {
        offset = System.Numerics.BitOperations.TrailingZeroCount(mask);
        length = System.Numerics.BitOperations.PopCount(mask);
        return mask != 0 && length < 32 && (mask >> offset) == (1u << length) - 1;
    }
}
