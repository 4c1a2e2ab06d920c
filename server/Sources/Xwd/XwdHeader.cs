using System.Buffers.Binary;

namespace WebConsole.Sources.Xwd;

/// <summary>
/// The fields of an XWDFileHeader (X11 XWDFile.h, file version 7: 25 big-endian CARD32) that
/// locate and describe the pixels, checked against the file they came from.
/// </summary>
/// <remarks>
/// Layout of the file: the header (<see cref="HeaderSize"/> bytes, the fixed 100 plus the window
/// name), <see cref="ColorCount"/> XWDColor entries of 12 bytes, then <see cref="Height"/> rows of
/// <see cref="BytesPerLine"/> bytes. Xvfb's <c>-fbdir</c> file is exactly this, kept mapped by the
/// server and drawn into in place.
/// </remarks>
public readonly record struct XwdHeader(
    int HeaderSize, int Depth, int Width, int Height, int BytesPerLine, int ColorCount, PixelLayout Layout)
{
    /// <summary>Bytes of the fixed part of the header.</summary>
    public const int FixedSize = 100;

    /// <summary>Bytes of one XWDColor entry.</summary>
    public const int ColorSize = 12;

    /// <summary>Largest screen side accepted: far beyond any X screen, small enough that sizes cannot overflow.</summary>
    public const int MaxSide = 16384;

    /// <summary>Largest colormap accepted: a 16-bit visual's 65,536 entries.</summary>
    public const int MaxColors = 65536;

    private const int ZPixmap = 2;
    private const int TrueColor = 4;
    private const int DirectColor = 5;

    /// <summary>Where the first pixel row starts in the file.</summary>
    public long PixelOffset => HeaderSize + (long)ColorCount * ColorSize;

    /// <summary>Bytes from the start of the file to the end of the last pixel row.</summary>
    public long FileBytesNeeded => PixelOffset + (long)BytesPerLine * Height;

    /// <summary>
    /// Parses and checks the header in <paramref name="bytes"/> (at least <see cref="FixedSize"/>)
    /// against a file of <paramref name="fileSize"/> bytes. False with a reason an operator can act
    /// on; <paramref name="notYetWritten"/> when the header is all zeros, as in a file its producer
    /// has created but not filled in yet.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, long fileSize, out XwdHeader header, out string? reason, out bool notYetWritten)
    {
        header = default;
        notYetWritten = false;
        if (bytes.Length < FixedSize || fileSize < FixedSize)
        {
            notYetWritten = fileSize == 0;
            reason = $"file is {fileSize} bytes, shorter than the {FixedSize}-byte XWD header";
            return false;
        }
        uint headerSize = U32(bytes, 0), version = U32(bytes, 1), format = U32(bytes, 2), depth = U32(bytes, 3);
        uint width = U32(bytes, 4), height = U32(bytes, 5), xoffset = U32(bytes, 6), byteOrder = U32(bytes, 7);
        uint bpp = U32(bytes, 11), bytesPerLine = U32(bytes, 12), visualClass = U32(bytes, 13);
        uint red = U32(bytes, 14), green = U32(bytes, 15), blue = U32(bytes, 16), colors = U32(bytes, 19);
        if (headerSize == 0 && version == 0)
        {
            notYetWritten = true;
            reason = "the XWD header is all zeros (not written yet)";
            return false;
        }
        if (version != 7)
        {
            reason = $"file_version is {version}, expected 7 (is this an XWD file, e.g. Xvfb -fbdir's Xvfb_screen0?)";
            return false;
        }
        if (headerSize < FixedSize || headerSize > 4096)
        {
            reason = $"header_size {headerSize} is outside {FixedSize}..4096";
            return false;
        }
        if (format != ZPixmap)
        {
            reason = $"pixmap_format {format} is not ZPixmap (2)";
            return false;
        }
        if (width is 0 or > MaxSide || height is 0 or > MaxSide)
        {
            reason = $"size {width}x{height} is outside 1..{MaxSide} on a side";
            return false;
        }
        if (xoffset != 0)
        {
            reason = $"xoffset {xoffset} is not 0";
            return false;
        }
        if (bpp is not (16 or 32))
        {
            reason = $"bits_per_pixel {bpp} is not supported (16 or 32; start Xvfb with -screen 0 WxHx24 or WxHx16)";
            return false;
        }
        if (depth is 0 || depth > bpp)
        {
            reason = $"pixmap_depth {depth} does not fit in bits_per_pixel {bpp}";
            return false;
        }
        if (visualClass is not (TrueColor or DirectColor))
        {
            reason = $"visual_class {visualClass} is not TrueColor (4) or DirectColor (5); colormapped screens are not supported";
            return false;
        }
        if (byteOrder > 1)
        {
            reason = $"byte_order {byteOrder} is neither LSBFirst (0) nor MSBFirst (1)";
            return false;
        }
        if (!PixelLayout.TryFromMasks((int)bpp, red, green, blue, byteOrder == 1, out PixelLayout layout) || layout.Problem() is not null)
        {
            reason = $"visual masks red 0x{red:X}, green 0x{green:X}, blue 0x{blue:X} are not usable with {bpp} bits per pixel";
            return false;
        }
        long rowBytes = (long)width * bpp / 8;
        if (bytesPerLine < rowBytes || bytesPerLine > rowBytes + 4096)
        {
            reason = $"bytes_per_line {bytesPerLine} does not fit {width} pixels of {bpp} bits ({rowBytes}..{rowBytes + 4096})";
            return false;
        }
        if (colors > MaxColors)
        {
            reason = $"ncolors {colors} is more than {MaxColors}";
            return false;
        }
        var h = new XwdHeader((int)headerSize, (int)depth, (int)width, (int)height, (int)bytesPerLine, (int)colors, layout);
        if (h.FileBytesNeeded > fileSize)
        {
            reason = $"file is {fileSize} bytes but the header needs {h.FileBytesNeeded} ({width}x{height}, {bytesPerLine} bytes per line, {colors} colours at {headerSize})";
            return false;
        }
        header = h;
        reason = null;
        return true;
    }

    private static uint U32(ReadOnlySpan<byte> bytes, int field) => BinaryPrimitives.ReadUInt32BigEndian(bytes[(field * 4)..]);
}
