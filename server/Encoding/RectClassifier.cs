using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using WebConsole.Region;

namespace WebConsole.Encoding;

/// <summary>Decides how a rectangle of an XRGB8888 frame is encoded. Allocation-free and thread-safe.</summary>
/// <remarks>
/// <para>Only R, G and B count; the X byte is ignored throughout.</para>
/// <list type="number">
/// <item><see cref="RectKind.Solid"/>: every pixel has the same colour. Checked first, a row at a
/// time with vectors, because idle desktops are mostly flat.</item>
/// <item><see cref="RectKind.Png"/>: the rectangle has fewer than <see cref="MinJpegPixels"/>
/// pixels (a JPEG's headers and tables alone are about 600 bytes, more than such a rectangle
/// costs in PNG), or at most <see cref="MaxPngColours"/> distinct colours: text, terminals, UI
/// chrome. Those compress well and losslessly, and JPEG would ring around their sharp edges.</item>
/// <item><see cref="RectKind.Jpeg"/>: anything else (photos, gradients, video, noise). Counting
/// stops at the first colour past the limit, so such rectangles are rejected after a few pixels.</item>
/// </list>
/// <para>
/// <see cref="FrameEncoder"/> classifies each 64x64 tile with <see cref="ClassifyContent"/>, which
/// leaves out the size rule, merges tiles of one kind and applies <see cref="ForArea"/> to each
/// merged part: whether a rectangle is too small for JPEG is a property of what is sent, not of
/// the tiles it was cut from.
/// </para>
/// <para>
/// Colours are counted in a 256-slot open-addressing table on the stack (at most 25% full at the
/// limit, so probe runs stay short). A pixel equal to its left neighbour skips the table, which
/// makes the common text and UI case (long runs of background) close to a plain scan.
/// </para>
/// </remarks>
public static class RectClassifier
{
    /// <summary>Most distinct colours a rectangle may have and still be sent as PNG.</summary>
    public const int MaxPngColours = 64;

    /// <summary>Rectangles with fewer pixels than this (32x32) are never JPEG.</summary>
    public const int MinJpegPixels = 1024;

    private const uint RgbMask = 0x00FF_FFFF;
    private const int TableBits = 8;
    private const int TableSize = 1 << TableBits;

    // Masked colours have a zero top byte, so this can never be a real key.
    private const uint EmptySlot = uint.MaxValue;

    /// <summary>Classifies <paramref name="rect"/> of a frame with <paramref name="stride"/> bytes per row.</summary>
    /// <param name="rgb">For <see cref="RectKind.Solid"/>, the colour as 0x00RRGGBB; otherwise 0.</param>
    public static RectKind Classify(ReadOnlySpan<byte> frame, int stride, PixelRect rect, out uint rgb) =>
        Classify(frame, stride, rect, MinJpegPixels, out rgb);

    /// <summary>
    /// Like <see cref="Classify"/> but by content alone: a small rectangle with many colours is
    /// <see cref="RectKind.Jpeg"/> too. For tiles that are merged before they are sent.
    /// </summary>
    internal static RectKind ClassifyContent(ReadOnlySpan<byte> frame, int stride, PixelRect rect, out uint rgb) =>
        Classify(frame, stride, rect, 0, out rgb);

    /// <summary>The kind a rectangle of <paramref name="area"/> pixels whose content is <paramref name="content"/> is sent as.</summary>
    internal static RectKind ForArea(RectKind content, long area) =>
        content == RectKind.Jpeg && area < MinJpegPixels ? RectKind.Png : content;

    private static RectKind Classify(ReadOnlySpan<byte> frame, int stride, PixelRect rect, int minJpegPixels, out uint rgb)
    {
        int offset = FrameBounds.Check(frame.Length, stride, rect);
        int width = rect.Width, height = rect.Height;
        uint first = MemoryMarshal.Read<uint>(frame.Slice(offset)) & RgbMask;

        int y = 0;
        while (y < height && RowIsUniform(Row(frame, offset + y * stride, width), first))
        {
            y++;
        }
        if (y == height)
        {
            rgb = first;
            return RectKind.Solid;
        }
        rgb = 0;
        if (rect.Area < minJpegPixels)
        {
            return RectKind.Png;
        }
        return CountColours(frame, offset, stride, width, height, y, first) <= MaxPngColours ? RectKind.Png : RectKind.Jpeg;
    }

    /// <summary>
    /// Distinct colours, counting stops just past <see cref="MaxPngColours"/>. Rows above
    /// <paramref name="firstMixedRow"/> are known to hold only <paramref name="first"/>.
    /// </summary>
    private static int CountColours(ReadOnlySpan<byte> frame, int offset, int stride, int width, int height, int firstMixedRow, uint first)
    {
        Span<uint> table = stackalloc uint[TableSize];
        table.Fill(EmptySlot);
        int distinct = 1;
        table[Slot(first)] = first;
        uint previous = first;
        for (int y = firstMixedRow; y < height; y++)
        {
            ReadOnlySpan<uint> row = Row(frame, offset + y * stride, width);
            for (int x = 0; x < row.Length; x++)
            {
                uint colour = row[x] & RgbMask;
                if (colour == previous)
                {
                    continue;
                }
                previous = colour;
                if (Insert(table, colour) && ++distinct > MaxPngColours)
                {
                    return distinct;
                }
            }
        }
        return distinct;
    }

    /// <summary>Adds <paramref name="colour"/> unless present; true when it was new.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Insert(Span<uint> table, uint colour)
    {
        int slot = Slot(colour);
        while (true)
        {
            uint held = table[slot];
            if (held == colour)
            {
                return false;
            }
            if (held == EmptySlot)
            {
                table[slot] = colour;
                return true;
            }
            slot = (slot + 1) & (TableSize - 1);
        }
    }

    // Fibonacci hashing: the top bits of the product mix all 24 colour bits.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Slot(uint colour) => (int)((colour * 0x9E37_79B1u) >> (32 - TableBits));

    private static ReadOnlySpan<uint> Row(ReadOnlySpan<byte> frame, int offset, int width) =>
        MemoryMarshal.Cast<byte, uint>(frame.Slice(offset, width * FrameBounds.BytesPerPixel));

    /// <summary>True when every pixel of the row has colour <paramref name="rgb"/> (X ignored).</summary>
    internal static bool RowIsUniform(ReadOnlySpan<uint> row, uint rgb)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            return RowIsUniformVector256(row, rgb);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            return RowIsUniformVector128(row, rgb);
        }
        return RowIsUniformScalar(row, rgb);
    }

    /// <summary>8 pixels a step (one uint lane each, X masked off), then at most one 4-pixel step, then pixels.</summary>
    internal static bool RowIsUniformVector256(ReadOnlySpan<uint> row, uint rgb)
    {
        ref uint r = ref MemoryMarshal.GetReference(row);
        nuint length = (nuint)row.Length;
        nuint i = 0;
        Vector256<uint> mask = Vector256.Create(RgbMask), want = Vector256.Create(rgb);
        while (i + (nuint)Vector256<uint>.Count <= length)
        {
            if (!Vector256.EqualsAll(Vector256.LoadUnsafe(ref r, i) & mask, want))
            {
                return false;
            }
            i += (nuint)Vector256<uint>.Count;
        }
        if (i + (nuint)Vector128<uint>.Count <= length)
        {
            if (!Vector128.EqualsAll(Vector128.LoadUnsafe(ref r, i) & Vector128.Create(RgbMask), Vector128.Create(rgb)))
            {
                return false;
            }
            i += (nuint)Vector128<uint>.Count;
        }
        return TailIsUniform(ref r, i, length, rgb);
    }

    /// <summary>4 pixels a step (one uint lane each, X masked off), then pixels.</summary>
    internal static bool RowIsUniformVector128(ReadOnlySpan<uint> row, uint rgb)
    {
        ref uint r = ref MemoryMarshal.GetReference(row);
        nuint length = (nuint)row.Length;
        nuint i = 0;
        Vector128<uint> mask = Vector128.Create(RgbMask), want = Vector128.Create(rgb);
        while (i + (nuint)Vector128<uint>.Count <= length)
        {
            if (!Vector128.EqualsAll(Vector128.LoadUnsafe(ref r, i) & mask, want))
            {
                return false;
            }
            i += (nuint)Vector128<uint>.Count;
        }
        return TailIsUniform(ref r, i, length, rgb);
    }

    internal static bool RowIsUniformScalar(ReadOnlySpan<uint> row, uint rgb) =>
        TailIsUniform(ref MemoryMarshal.GetReference(row), 0, (nuint)row.Length, rgb);

    private static bool TailIsUniform(ref uint r, nuint i, nuint length, uint rgb)
    {
        for (; i < length; i++)
        {
            if ((Unsafe.Add(ref r, i) & RgbMask) != rgb)
            {
                return false;
            }
        }
        return true;
    }
}
