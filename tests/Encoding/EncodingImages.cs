using WebConsole.Region;
using WebConsole.Tests.TestData;

namespace WebConsole.Tests.Encoding;

/// <summary>
/// The catalogue of synthetic content the encoding tests draw into rectangles of a
/// <see cref="TestImage"/>. Every generator is seeded, and every one writes a random X byte,
/// since the encoders must ignore it.
/// </summary>
internal static class EncodingImages
{
    public static readonly (byte R, byte G, byte B) TextBackground = (0x1E, 0x1E, 0x2E);
    public static readonly (byte R, byte G, byte B) TextForeground = (0xD0, 0xD8, 0xE0);

    /// <summary>One colour everywhere.</summary>
    public static void Flat(TestImage image, PixelRect rect, byte r, byte g, byte b, int seed = 1)
    {
        var random = new Random(seed);
        for (int y = rect.Y; y < rect.Bottom; y++)
        {
            for (int x = rect.X; x < rect.Right; x++)
            {
                image.Set(x, y, r, g, b, (byte)random.Next(256));
            }
        }
    }

    /// <summary>A terminal: two colours, 8x16 cells each holding a random "glyph" of about 30% ink.</summary>
    public static void Text(TestImage image, PixelRect rect, int seed = 2)
    {
        var random = new Random(seed);
        var glyphs = new bool[16][];
        for (int g = 0; g < glyphs.Length; g++)
        {
            glyphs[g] = new bool[8 * 16];
            for (int i = 0; i < glyphs[g].Length; i++)
            {
                glyphs[g][i] = random.Next(10) < 3;
            }
        }
        int columns = (rect.Width + 7) / 8;
        int rows = (rect.Height + 15) / 16;
        var cells = new int[columns * rows];
        for (int i = 0; i < cells.Length; i++)
        {
            // A quarter of the cells are blank, as between words and at line ends.
            cells[i] = random.Next(4) == 0 ? -1 : random.Next(glyphs.Length);
        }
        for (int y = rect.Y; y < rect.Bottom; y++)
        {
            for (int x = rect.X; x < rect.Right; x++)
            {
                int cx = (x - rect.X) / 8, cy = (y - rect.Y) / 16;
                int glyph = cells[cy * columns + cx];
                bool ink = glyph >= 0 && glyphs[glyph][((y - rect.Y) % 16) * 8 + (x - rect.X) % 8];
                (byte r, byte g, byte b) = ink ? TextForeground : TextBackground;
                image.Set(x, y, r, g, b, (byte)random.Next(256));
            }
        }
    }

    /// <summary>Independent random colours: the worst case for every codec.</summary>
    public static void Noise(TestImage image, PixelRect rect, int seed = 3)
    {
        var random = new Random(seed);
        for (int y = rect.Y; y < rect.Bottom; y++)
        {
            for (int x = rect.X; x < rect.Right; x++)
            {
                image.Set(x, y, (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
            }
        }
    }

    /// <summary>A smooth two-axis gradient with red and blue running opposite ways: photo-like.</summary>
    public static void Gradient(TestImage image, PixelRect rect, int seed = 4)
    {
        var random = new Random(seed);
        int w = Math.Max(rect.Width - 1, 1), h = Math.Max(rect.Height - 1, 1);
        for (int y = rect.Y; y < rect.Bottom; y++)
        {
            for (int x = rect.X; x < rect.Right; x++)
            {
                int dx = x - rect.X, dy = y - rect.Y;
                byte r = (byte)(dx * 255 / w);
                byte g = (byte)(dy * 255 / h);
                byte b = (byte)(255 - (dx + dy) * 255 / (w + h));
                image.Set(x, y, r, g, b, (byte)random.Next(256));
            }
        }
    }

    /// <summary>
    /// Exactly <paramref name="colours"/> distinct colours, each in a run, cycling over the rect;
    /// palettes with different <paramref name="first"/> colours share none (first + colours at most 256).
    /// </summary>
    public static void Palette(TestImage image, PixelRect rect, int colours, int first = 0)
    {
        int i = 0;
        for (int y = rect.Y; y < rect.Bottom; y++)
        {
            for (int x = rect.X; x < rect.Right; x++, i++)
            {
                int c = first + (i / 3) % colours;
                image.Set(x, y, (byte)(c * 3), (byte)(255 - c), (byte)(c * 7), (byte)i);
            }
        }
    }
}
