using WebConsole.Capture;
using WebConsole.Region;

namespace WebConsole.Tests.Capture;

/// <summary>Checks the output contract of <see cref="ChangeDetector.FindChanges"/> pixel by pixel.</summary>
internal static class ChangeAssert
{
    public static int TilesX(int width) => (width + ChangeDetector.TileSize - 1) / ChangeDetector.TileSize;

    public static int TilesY(int height) => (height + ChangeDetector.TileSize - 1) / ChangeDetector.TileSize;

    /// <summary>
    /// Each rectangle is non-empty, inside the frame and at most 512 on a side, and together they
    /// cover every pixel of every changed tile once and no pixel of any other tile.
    /// </summary>
    public static void CoversExactly(IReadOnlyList<PixelRect> rects, bool[] changedTiles, int width, int height)
    {
        int tilesX = TilesX(width);
        byte[] coverage = new byte[width * height];
        foreach (PixelRect r in rects)
        {
            Assert.False(r.IsEmpty, $"{r} is empty");
            Assert.True(r.X >= 0 && r.Y >= 0 && r.Right <= width && r.Bottom <= height, $"{r} leaves the {width}x{height} frame");
            Assert.True(r.Width <= ChangeDetector.MaxRectSize && r.Height <= ChangeDetector.MaxRectSize, $"{r} is larger than 512x512");
            for (int y = r.Y; y < r.Bottom; y++)
            {
                Span<byte> covered = coverage.AsSpan(y * width + r.X, r.Width);
                Assert.False(covered.ContainsAnyExcept((byte)0), $"{r} overlaps another rectangle in row {y}");
                covered.Fill(1);
            }
        }
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x += ChangeDetector.TileSize)
            {
                bool tileChanged = changedTiles[y / ChangeDetector.TileSize * tilesX + x / ChangeDetector.TileSize];
                Span<byte> covered = coverage.AsSpan(y * width + x, Math.Min(ChangeDetector.TileSize, width - x));
                if (covered.ContainsAnyExcept(tileChanged ? (byte)1 : (byte)0))
                {
                    Assert.Fail($"row {y} of the {(tileChanged ? "changed" : "unchanged")} tile at x {x} is {(tileChanged ? "not all" : "partly")} covered");
                }
            }
        }
    }

    public static bool[] AllTiles(int width, int height)
    {
        bool[] tiles = new bool[TilesX(width) * TilesY(height)];
        Array.Fill(tiles, true);
        return tiles;
    }
}
