using WebConsole.Region;
using WebConsole.Tests.TestData;

namespace WebConsole.Tests.Encoding;

/// <summary>Frames whose rectangles mix content kinds, for the tile split in <see cref="WebConsole.Encoding.FrameEncoder"/>.</summary>
internal static class SplitScenes
{
    /// <summary>The flat colour of <see cref="TextBesidePhoto"/>, the one the hub tests watch (0x2050A0).</summary>
    public static readonly (byte R, byte G, byte B) Blue = (0x20, 0x50, 0xA0);

    /// <summary>
    /// A 512x128 rectangle at a position that is not tile-aligned in the frame (tiles are aligned
    /// to the rectangle): a flat <see cref="Blue"/> quarter, a two-colour text quarter, and noise
    /// in the right half. The frame around it is noise too.
    /// </summary>
    public static (TestImage Image, PixelRect Rect) TextBesidePhoto()
    {
        var image = new TestImage(640, 200, paddingBytes: 28);
        EncodingImages.Noise(image, image.Bounds, seed: 11);
        var rect = new PixelRect(40, 24, 512, 128);
        EncodingImages.Flat(image, rect with { Width = 128 }, Blue.R, Blue.G, Blue.B, seed: 12);
        EncodingImages.Text(image, rect with { X = rect.X + 128, Width = 128 }, seed: 13);
        EncodingImages.Noise(image, rect with { X = rect.X + 256, Width = 256 }, seed: 14);
        return (image, rect);
    }

    /// <summary>
    /// A 1000x700 frame (not a whole number of tiles) covered with overlapping blocks of random
    /// size, position and content (flat in one of three colours, text, gradient, noise), and a
    /// shuffled list of non-overlapping rectangles: a random subset of the cells of a grid with
    /// random column and row widths, from 1 to 300 pixels.
    /// </summary>
    public static (TestImage Image, List<PixelRect> Rects) RandomMixture(int seed)
    {
        var random = new Random(seed);
        var image = new TestImage(1000, 700, paddingBytes: 20);
        (byte R, byte G, byte B)[] flats = [(0x20, 0x50, 0xA0), (0xE0, 0xE0, 0xE0), (0x10, 0x10, 0x10)];
        EncodingImages.Flat(image, image.Bounds, flats[0].R, flats[0].G, flats[0].B, seed);
        for (int block = 0; block < 40; block++)
        {
            int x = random.Next(image.Width), y = random.Next(image.Height);
            var area = new PixelRect(x, y, Math.Min(random.Next(8, 300), image.Width - x), Math.Min(random.Next(8, 300), image.Height - y));
            int blockSeed = random.Next();
            switch (random.Next(4))
            {
                case 0:
                    (byte r, byte g, byte b) = flats[random.Next(flats.Length)];
                    EncodingImages.Flat(image, area, r, g, b, blockSeed);
                    break;
                case 1:
                    EncodingImages.Text(image, area, blockSeed);
                    break;
                case 2:
                    EncodingImages.Gradient(image, area, blockSeed);
                    break;
                default:
                    EncodingImages.Noise(image, area, blockSeed);
                    break;
            }
        }

        List<int> columns = Cuts(random, image.Width), rows = Cuts(random, image.Height);
        var rects = new List<PixelRect>();
        for (int j = 0; j + 1 < rows.Count; j++)
        {
            for (int i = 0; i + 1 < columns.Count; i++)
            {
                if (random.Next(5) < 3)
                {
                    rects.Add(new PixelRect(columns[i], rows[j], columns[i + 1] - columns[i], rows[j + 1] - rows[j]));
                }
            }
        }
        for (int n = rects.Count - 1; n > 0; n--)
        {
            int k = random.Next(n + 1);
            (rects[n], rects[k]) = (rects[k], rects[n]);
        }
        return (image, rects);
    }

    private static List<int> Cuts(Random random, int size)
    {
        var cuts = new List<int> { 0 };
        while (cuts[^1] < size)
        {
            cuts.Add(Math.Min(size, cuts[^1] + random.Next(1, 301)));
        }
        return cuts;
    }
}
