using System.Numerics;
using System.Runtime.InteropServices;
using WebConsole.Region;

namespace WebConsole.Demo;

/// <summary>
/// Draws into an XRGB8888 buffer (little-endian 0xXXRRGGBB per pixel, rows <c>stride</c> bytes
/// apart), touching nothing outside its clip rectangle: the scene redraws a damaged rectangle by
/// painting everything through a painter clipped to it.
/// </summary>
internal readonly ref struct Painter
{
    private readonly Span<byte> _pixels;
    private readonly int _stride;

    /// <summary>A painter for the part of a <paramref name="width"/> x <paramref name="height"/> frame inside <paramref name="clip"/>.</summary>
    public Painter(Span<byte> pixels, int width, int height, int stride, PixelRect clip)
    {
        if (stride < width * 4 || pixels.Length < (long)stride * (height - 1) + width * 4)
        {
            throw new ArgumentException($"a {width}x{height} frame with stride {stride} does not fit {pixels.Length} bytes");
        }
        _pixels = pixels;
        _stride = stride;
        Clip = Intersect(clip, new PixelRect(0, 0, width, height));
    }

    private Painter(Span<byte> pixels, int stride, PixelRect clip)
    {
        _pixels = pixels;
        _stride = stride;
        Clip = clip;
    }

    /// <summary>The only pixels this painter writes (already within the frame).</summary>
    public PixelRect Clip { get; }

    /// <summary>The same buffer, clipped further to <paramref name="area"/>.</summary>
    public Painter Within(PixelRect area) => new(_pixels, _stride, Intersect(Clip, area));

    /// <summary>True when <paramref name="area"/> touches the clip rectangle, so drawing it can be skipped otherwise.</summary>
    public bool Touches(PixelRect area) => !Intersect(Clip, area).IsEmpty;

    /// <summary>The overlap of two rectangles; empty (zero size) when they do not overlap.</summary>
    public static PixelRect Intersect(PixelRect a, PixelRect b)
    {
        int x = Math.Max(a.X, b.X), y = Math.Max(a.Y, b.Y);
        int right = Math.Min(a.Right, b.Right), bottom = Math.Min(a.Bottom, b.Bottom);
        return right > x && bottom > y ? new PixelRect(x, y, right - x, bottom - y) : default;
    }

    /// <summary>Fills <paramref name="area"/> with one colour.</summary>
    public void Fill(PixelRect area, uint color)
    {
        PixelRect r = Intersect(Clip, area);
        for (int y = r.Y; y < r.Bottom; y++)
        {
            Row(y).Slice(r.X, r.Width).Fill(color);
        }
    }

    /// <summary>Fills <paramref name="area"/> with a left-to-right gradient that spans <paramref name="span"/>.</summary>
    /// <remarks>The colour depends on the absolute column only, so a clipped redraw matches a full one.</remarks>
    public void FillHorizontalGradient(PixelRect area, PixelRect span, uint left, uint right)
    {
        PixelRect r = Intersect(Clip, area);
        if (r.IsEmpty)
        {
            return;
        }
        int last = Math.Max(1, span.Width - 1);
        Span<uint> first = Row(r.Y).Slice(r.X, r.Width);
        for (int x = r.X; x < r.Right; x++)
        {
            first[x - r.X] = Colors.Lerp(left, right, Math.Clamp(x - span.X, 0, last), last);
        }
        for (int y = r.Y + 1; y < r.Bottom; y++)
        {
            first.CopyTo(Row(y).Slice(r.X));
        }
    }

    /// <summary>Draws a one-pixel outline just inside <paramref name="area"/>.</summary>
    public void Outline(PixelRect area, uint color)
    {
        Fill(new PixelRect(area.X, area.Y, area.Width, 1), color);
        Fill(new PixelRect(area.X, area.Bottom - 1, area.Width, 1), color);
        Fill(new PixelRect(area.X, area.Y, 1, area.Height), color);
        Fill(new PixelRect(area.Right - 1, area.Y, 1, area.Height), color);
    }

    /// <summary>Draws text with its top-left corner at (<paramref name="x"/>, <paramref name="y"/>), each font pixel a <paramref name="scale"/>-sized square; the background shows through.</summary>
    public void DrawText(int x, int y, ReadOnlySpan<char> text, int scale, uint color)
    {
        int advance = BitmapFont.Size * scale;
        for (int i = 0; i < text.Length; i++, x += advance)
        {
            if (text[i] != ' ' && Touches(new PixelRect(x, y, advance, advance)))
            {
                DrawGlyph(x, y, text[i], scale, color);
            }
        }
    }

    private void DrawGlyph(int x, int y, char c, int scale, uint color)
    {
        ReadOnlySpan<byte> glyph = BitmapFont.Glyph(c);
        for (int row = 0; row < BitmapFont.Size; row++)
        {
            int bits = glyph[row];
            int column = 0;
            while (bits != 0)
            {
                // One fill per run of set bits keeps big scales cheap.
                int skip = BitOperations.TrailingZeroCount(bits);
                bits >>= skip;
                column += skip;
                int run = BitOperations.TrailingZeroCount(~bits);
                Fill(new PixelRect(x + column * scale, y + row * scale, run * scale, scale), color);
                bits >>= run;
                column += run;
            }
        }
    }

    /// <summary>Copies a <paramref name="width"/>-pixel-wide image with its top-left corner at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public void Blit(int x, int y, ReadOnlySpan<uint> image, int width, int height)
    {
        PixelRect r = Intersect(Clip, new PixelRect(x, y, width, height));
        for (int row = r.Y; row < r.Bottom; row++)
        {
            image.Slice((row - y) * width + (r.X - x), r.Width).CopyTo(Row(row).Slice(r.X));
        }
    }

    // The last row may stop at the frame's edge: a buffer need not hold the final row's padding.
    private Span<uint> Row(int y) => MemoryMarshal.Cast<byte, uint>(_pixels.Slice(y * _stride, Math.Min(_stride, _pixels.Length - y * _stride)));
}
