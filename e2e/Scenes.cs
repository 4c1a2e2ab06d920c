using WebConsole.Region;

namespace WebConsole.E2E;

/// <summary>
/// The catalogue of pictures the tests write into regions. Areas are placed on the server's
/// 64x64 tiles where it matters, so a tile is all flat colour, all text or all photo.
/// </summary>
internal static class Scenes
{
    public const int Width = 640;
    public const int Height = 360;
    public const int Tile = 64;

    public static readonly Rgb Background = new(24, 28, 36);
    public static readonly Rgb Red = new(200, 40, 40);
    public static readonly Rgb Green = new(40, 180, 90);
    public static readonly Rgb Blue = new(50, 90, 220);
    public static readonly Rgb Ink = new(230, 230, 230);
    public static readonly Rgb Paper = new(16, 16, 16);
    public static readonly Rgb Yellow = new(250, 210, 40);
    public static readonly Rgb Black = new(0, 0, 0);

    /// <summary>Flat colour on whole tiles: sent as solid rectangles.</summary>
    public static readonly PixelRect RedBlock = new(0, 0, 128, 64);

    public static readonly PixelRect GreenBlock = new(128, 0, 128, 64);

    /// <summary>Flat colour off the tile grid: tiles of two flat colours (lossless).</summary>
    public static readonly PixelRect BlueBlock = new(300, 100, 70, 50);

    /// <summary>Two-colour "text": lossless (PNG).</summary>
    public static readonly PixelRect TextArea = new(0, 128, 256, 64);

    /// <summary>Photo-like: smooth colour with noise, on whole tiles, allowed to be lossy (JPEG).</summary>
    public static readonly PixelRect PhotoArea = new(384, 192, 256, 128);

    /// <summary>The small change, inside one tile (320..384 x 0..64) of plain background.</summary>
    public static readonly PixelRect ChangeArea = new(330, 20, 40, 20);

    /// <summary>The scene of the pixel test; without the photo, everything in it is lossless.</summary>
    public static TestImage Pattern(bool photo = true)
    {
        var image = new TestImage(Width, Height);
        image.Fill(new PixelRect(0, 0, Width, Height), Background);
        image.Fill(RedBlock, Red);
        image.Fill(GreenBlock, Green);
        image.Fill(BlueBlock, Blue);
        DrawText(image, TextArea, Ink, Paper, seed: 1);
        if (photo)
        {
            DrawPhoto(image, PhotoArea, seed: 2);
        }
        return image;
    }

    /// <summary>The small change: a two-colour checker of 2-pixel squares.</summary>
    public static void DrawChange(TestImage image)
    {
        PixelRect r = ChangeArea;
        for (int y = r.Y; y < r.Bottom; y++)
        {
            for (int x = r.X; x < r.Right; x++)
            {
                image.Set(x, y, ((x / 2) + (y / 2)) % 2 == 0 ? Yellow : Black);
            }
        }
    }

    /// <summary>What a restarted producer shows: other colours and other text, all lossless.</summary>
    public static TestImage Restarted(int width = Width, int height = Height)
    {
        var image = new TestImage(width, height);
        image.Fill(new PixelRect(0, 0, width, height), new Rgb(70, 20, 80));
        image.Fill(new PixelRect(64, 64, 192, 128), Yellow);
        DrawText(image, new PixelRect(256, 192, 192, 64), Black, new Rgb(240, 240, 200), seed: 3);
        image.Fill(new PixelRect(width - 64, height - 40, 64, 40), Green);
        return image;
    }

    /// <summary>
    /// Glyph-like marks: 8x12 cells, each with a 5x7 pattern of ink on paper, as a terminal
    /// full of text would look to a tile classifier.
    /// </summary>
    public static void DrawText(TestImage image, PixelRect area, Rgb ink, Rgb paper, int seed)
    {
        image.Fill(area, paper);
        var random = new Random(seed);
        for (int cy = area.Y; cy + 12 <= area.Bottom; cy += 12)
        {
            for (int cx = area.X; cx + 8 <= area.Right; cx += 8)
            {
                if (random.NextDouble() < 0.15)
                {
                    continue; // a space
                }
                for (int gy = 0; gy < 7; gy++)
                {
                    for (int gx = 0; gx < 5; gx++)
                    {
                        if (random.NextDouble() < 0.45)
                        {
                            image.Set(cx + 1 + gx, cy + 3 + gy, ink);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Smooth colour waves with a little noise: what a photo looks like to an encoder.</summary>
    public static void DrawPhoto(TestImage image, PixelRect area, int seed)
    {
        var random = new Random(seed);
        for (int y = area.Y; y < area.Bottom; y++)
        {
            for (int x = area.X; x < area.Right; x++)
            {
                double r = 128 + 80 * Math.Sin((x / 23.0) + (y / 37.0));
                double g = 120 + 70 * Math.Cos((y / 19.0) - (x / 41.0));
                double b = 100 + 60 * Math.Sin((x + y) / 29.0);
                int n = random.Next(-12, 13);
                image.Set(x, y, new Rgb(Clamp(r + n), Clamp(g + n), Clamp(b - n)));
            }
        }
    }

    /// <summary>Random pixels: the worst case for every encoder.</summary>
    public static void DrawNoise(TestImage image, PixelRect area, Random random)
    {
        Span<byte> rgb = stackalloc byte[3];
        for (int y = area.Y; y < area.Bottom; y++)
        {
            for (int x = area.X; x < area.Right; x++)
            {
                random.NextBytes(rgb);
                image.Set(x, y, new Rgb(rgb[0], rgb[1], rgb[2]));
            }
        }
    }

    /// <summary>
    /// The animation's frame <paramref name="n"/> as a colour, so a page's picture tells which
    /// producer frame it shows: 4 bits a channel in steps of 16, so a lossy (JPEG) flat tile
    /// still reads back right; it wraps every <see cref="CounterPeriod"/> frames.
    /// </summary>
    public static Rgb CounterColour(int n) =>
        new((byte)(((n & 0xF) << 4) + 8), (byte)((((n >> 4) & 0xF) << 4) + 8), (byte)((((n >> 8) & 0xF) << 4) + 8));

    public const int CounterPeriod = 4096;

    public static int CounterOf(Rgb colour) => (colour.R >> 4) | ((colour.G >> 4) << 4) | ((colour.B >> 4) << 8);

    /// <summary>How many frames <paramref name="shown"/> is behind <paramref name="now"/>, across the wrap.</summary>
    public static int CounterLag(int now, int shown) => ((now - shown) % CounterPeriod + CounterPeriod) % CounterPeriod;

    /// <summary>The bounding box of the tiles <paramref name="r"/> touches.</summary>
    public static PixelRect TilesOf(PixelRect r)
    {
        int x0 = r.X / Tile * Tile, y0 = r.Y / Tile * Tile;
        int x1 = (r.Right + Tile - 1) / Tile * Tile, y1 = (r.Bottom + Tile - 1) / Tile * Tile;
        return new PixelRect(x0, y0, x1 - x0, y1 - y0);
    }

    private static byte Clamp(double value) => (byte)Math.Clamp((int)Math.Round(value), 0, 255);
}
