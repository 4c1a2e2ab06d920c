using System.Buffers.Binary;
using System.Runtime.InteropServices;
using WebConsole.Region;

namespace WebConsole.Sources;

/// <summary>
/// Converts rows of one <see cref="PixelLayout"/> into XRGB8888. The common layouts go through
/// <see cref="PixelConverter"/>; any other bitfield layout through lookup tables built once per
/// layout, so a row converts without allocating.
/// </summary>
public sealed class PixelLayoutConverter
{
    private readonly PixelFormat? _known;
    private readonly byte[] _red = [], _green = [], _blue = [];

    public PixelLayoutConverter(PixelLayout layout)
    {
        string? problem = layout.Problem();
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(layout));
        }
        Layout = layout;
        _known = layout.BigEndian ? null
            : layout == PixelLayout.Xrgb8888 ? PixelFormat.Xrgb8888
            : layout == PixelLayout.Xbgr8888 ? PixelFormat.Xbgr8888
            : layout == PixelLayout.Rgb565 ? PixelFormat.Rgb565
            : null;
        if (_known is null)
        {
            _red = Scale(layout.RedLength);
            _green = Scale(layout.GreenLength);
            _blue = Scale(layout.BlueLength);
        }
    }

    public PixelLayout Layout { get; }

    /// <summary>True when rows are XRGB8888 already and can be copied as they are.</summary>
    public bool IsIdentity => _known == PixelFormat.Xrgb8888;

    /// <summary>Converts <paramref name="pixels"/> pixels from <paramref name="source"/> into <paramref name="dest"/> (4 bytes a pixel).</summary>
    public void ConvertRow(ReadOnlySpan<byte> source, Span<byte> dest, int pixels)
    {
        if (_known is PixelFormat format)
        {
            PixelConverter.ConvertRow(format, source, dest, pixels);
            return;
        }
        PixelLayout l = Layout;
        int bpp = l.BytesPerPixel;
        source = source[..(pixels * bpp)];
        Span<uint> output = MemoryMarshal.Cast<byte, uint>(dest[..(pixels * 4)]);
        uint rMask = (1u << l.RedLength) - 1, gMask = (1u << l.GreenLength) - 1, bMask = (1u << l.BlueLength) - 1;
        for (int i = 0, at = 0; i < output.Length; i++, at += bpp)
        {
            uint v = Read(source, at, bpp, l.BigEndian);
            uint r = _red[(v >> l.RedOffset) & rMask];
            uint g = _green[(v >> l.GreenOffset) & gMask];
            uint b = _blue[(v >> l.BlueOffset) & bMask];
            output[i] = 0xFF000000 | (r << 16) | (g << 8) | b;
        }
    }

    private static uint Read(ReadOnlySpan<byte> s, int at, int bytes, bool bigEndian) => (bytes, bigEndian) switch
    {
        (2, false) => BinaryPrimitives.ReadUInt16LittleEndian(s[at..]),
        (2, true) => BinaryPrimitives.ReadUInt16BigEndian(s[at..]),
        (3, false) => (uint)(s[at] | s[at + 1] << 8 | s[at + 2] << 16),
        (3, true) => (uint)(s[at] << 16 | s[at + 1] << 8 | s[at + 2]),
        (_, false) => BinaryPrimitives.ReadUInt32LittleEndian(s[at..]),
        _ => BinaryPrimitives.ReadUInt32BigEndian(s[at..]),
    };

    /// <summary>A channel value of <paramref name="bits"/> bits to 8: high bits replicated into the low ones, so full scale stays full scale.</summary>
    private static byte[] Scale(int bits)
    {
        var table = new byte[1 << bits];
        for (int v = 0; v < table.Length; v++)
        {
            if (bits >= 8)
            {
                table[v] = (byte)(v >> (bits - 8));
                continue;
            }
            int x = 0;
            for (int filled = 0; filled < 8; filled += bits)
            {
                x = (x << bits) | v;
            }
            // x now holds at least 8 bits of repeated v; keep the top 8.
            int total = (8 + bits - 1) / bits * bits;
            table[v] = (byte)(x >> (total - 8));
        }
        return table;
    }
}
