using WebConsole.Region;
using WebConsole.Streaming;

namespace WebConsole.Tests.Streaming;

public sealed class TileSetTests
{
    [Fact]
    public void TakeRects_MergesMarkedTilesIntoAtMost512Squares_CoveringEachTileOnce()
    {
        var set = new TileSet();
        set.Reset(1920, 1080);
        set.MarkAll();
        Assert.True(set.IsFull);
        var rects = new List<PixelRect>();
        set.TakeRects(rects);
        Assert.True(set.IsEmpty);
        long area = 0;
        foreach (PixelRect r in rects)
        {
            Assert.InRange(r.Width, 1, 512);
            Assert.InRange(r.Height, 1, 512);
            Assert.True(r.Right <= 1920 && r.Bottom <= 1080);
            area += r.Area;
        }
        Assert.Equal(1920L * 1080, area); // no overlap, nothing missing
        Assert.Equal(4 * 3, rects.Count);
    }

    [Fact]
    public void Mark_IsIdempotent_SoMissedUpdatesMergeInsteadOfQueueing()
    {
        var set = new TileSet();
        set.Reset(300, 200);
        for (int i = 0; i < 1000; i++)
        {
            set.Mark(new PixelRect(10, 10, 5, 5));
            set.Mark(new PixelRect(130, 70, 70, 10));
        }
        var rects = new List<PixelRect>();
        set.TakeRects(rects);
        Assert.Equal([new PixelRect(0, 0, 64, 64), new PixelRect(128, 64, 128, 64)], rects);
    }

    [Fact]
    public void Mark_ClipsToTheFrame_AndEdgeTilesAreSmaller()
    {
        var set = new TileSet();
        set.Reset(100, 70);
        set.Mark(new PixelRect(90, 65, 500, 500));
        var rects = new List<PixelRect>();
        set.TakeRects(rects);
        Assert.Equal([new PixelRect(64, 64, 36, 6)], rects);
    }
}
