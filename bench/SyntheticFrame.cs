using SkiaSharp;
using WebConsole.Region;

namespace WebConsole.Bench;

/// <summary>A seeded XRGB8888 frame (B, G, R, X in memory) with content typical of one kind of screen.</summary>
internal sealed class SyntheticFrame
{
    private SyntheticFrame(string content, int width, int height)
    {
        Content = content;
        Width = width;
        Height = height;
        Stride = width * 4;
        Bytes = new byte[Stride * height];
    }

    public string Content { get; }
    public int Width { get; }
    public int Height { get; }
    public int Stride { get; }
    public byte[] Bytes { get; }

    public PixelRect Bounds => new(0, 0, Width, Height);

    /// <summary>
    /// A desktop with a terminal: flat background, a title bar, and 8x16 character cells in a
    /// dark window with four ink colours (prompt, text, keyword, comment); about a third of the
    /// cells are blank.
    /// </summary>
    public static SyntheticFrame Text(int width, int height)
    {
        var frame = new SyntheticFrame("text", width, height);
        var random = new Random(1);
        var glyphs = new bool[96][];
        for (int g = 0; g < glyphs.Length; g++)
        {
            glyphs[g] = new bool[8 * 16];
            for (int i = 0; i < glyphs[g].Length; i++)
            {
                int row = i / 8;
                // Ink only in the glyph body (rows 3..13), as real fonts leave leading.
                glyphs[g][i] = row is >= 3 and <= 13 && random.Next(10) < 3;
            }
        }
        (byte R, byte G, byte B)[] inks = [(0xD0, 0xD8, 0xE0), (0x8A, 0xE2, 0x34), (0x72, 0x9F, 0xCF), (0x88, 0x88, 0x88)];
        int left = width / 16, top = height / 12, right = width - width / 16, bottom = height - height / 16;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                frame.Set(x, y, 0x3B, 0x6E, 0xA5);
            }
        }
        for (int y = top; y < top + 24; y++)
        {
            for (int x = left; x < right; x++)
            {
                frame.Set(x, y, 0xE0, 0xE0, 0xE0);
            }
        }
        for (int cy = top + 24; cy + 16 <= bottom; cy += 16)
        {
            int lineLength = random.Next((right - left) / 8);
            int ink = 0;
            for (int cx = left; cx + 8 <= right; cx += 8)
            {
                int column = (cx - left) / 8;
                bool blank = column >= lineLength || random.Next(6) == 0;
                int glyph = blank ? -1 : random.Next(glyphs.Length);
                if (random.Next(8) == 0)
                {
                    ink = random.Next(inks.Length);
                }
                for (int y = 0; y < 16; y++)
                {
                    for (int x = 0; x < 8; x++)
                    {
                        bool on = glyph >= 0 && glyphs[glyph][y * 8 + x];
                        (byte r, byte g, byte b) = on ? inks[ink] : ((byte)0x1E, (byte)0x1E, (byte)0x1E);
                        frame.Set(cx + x, cy + y, r, g, b);
                    }
                }
            }
        }
        return frame;
    }

    /// <summary>Independent random colours: the worst case for every codec.</summary>
    public static SyntheticFrame Noise(int width, int height)
    {
        var frame = new SyntheticFrame("noise", width, height);
        new Random(2).NextBytes(frame.Bytes);
        return frame;
    }

    /// <summary>Smooth colour gradients with a little sensor-like grain: what JPEG is for.</summary>
    public static SyntheticFrame Photo(int width, int height)
    {
        var frame = new SyntheticFrame("photo", width, height);
        var random = new Random(3);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double u = (double)x / width, v = (double)y / height;
                int r = (int)(128 + 100 * Math.Sin(6 * u + 2 * v)) + random.Next(-6, 7);
                int g = (int)(128 + 90 * Math.Sin(3 * v - 4 * u + 1)) + random.Next(-6, 7);
                int b = (int)(128 + 110 * Math.Cos(5 * u * v + 3 * v)) + random.Next(-6, 7);
                frame.Set(x, y, (byte)Math.Clamp(r, 0, 255), (byte)Math.Clamp(g, 0, 255), (byte)Math.Clamp(b, 0, 255));
            }
        }
        return frame;
    }

    /// <summary>
    /// Anti-aliased coloured text on a colour gradient, drawn by Skia: text-like (sharp edges that
    /// chroma subsampling smears) but with far too many colours for PNG, so it goes out as JPEG.
    /// </summary>
    public static unsafe SyntheticFrame TextOnGradient(int width, int height)
    {
        var frame = new SyntheticFrame("aa text on gradient", width, height);
        var info = new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info);
        SKCanvas canvas = surface.Canvas;
        using (var gradient = new SKPaint
        {
            Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height),
                [new SKColor(30, 60, 140), new SKColor(200, 120, 40), new SKColor(40, 160, 90)], SKShaderTileMode.Clamp),
        })
        {
            canvas.DrawRect(0, 0, width, height, gradient);
        }
        using var font = new SKFont(SKTypeface.Default, 15) { Edging = SKFontEdging.Antialias };
        SKColor[] inks = [SKColors.White, new(255, 230, 120), new(160, 230, 255), new(255, 140, 160)];
        using var paint = new SKPaint { IsAntialias = true };
        int line = 0;
        for (float y = 20; y < height; y += 19, line++)
        {
            paint.Color = inks[line % inks.Length];
            canvas.DrawText($"{line:D3}  The quick brown fox jumps over the lazy dog; menu | File  Edit  View  Help  0123456789 ({line * 37 % 1000})", 8, y, font, paint);
        }
        canvas.Flush();
        fixed (byte* pixels = frame.Bytes)
        {
            surface.ReadPixels(info, (nint)pixels, frame.Stride, 0, 0);
        }
        return frame;
    }

    /// <summary>The frame cut into a grid of rectangles at most <paramref name="size"/> on a side.</summary>
    public List<PixelRect> Grid(int size)
    {
        var rects = new List<PixelRect>();
        for (int y = 0; y < Height; y += size)
        {
            for (int x = 0; x < Width; x += size)
            {
                rects.Add(new PixelRect(x, y, Math.Min(size, Width - x), Math.Min(size, Height - y)));
            }
        }
        return rects;
    }

    private void Set(int x, int y, byte r, byte g, byte b)
    {
        int i = y * Stride + x * 4;
        Bytes[i] = b;
        Bytes[i + 1] = g;
        Bytes[i + 2] = r;
        Bytes[i + 3] = 0xFF;
    }
}
