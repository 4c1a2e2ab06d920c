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

    [Fact]
    public void Clear_UnmarksOnlyTilesWhollyInside_EdgeTilesCountWhenTheRectReachesTheEdge()
    {
        var set = new TileSet();
        set.Reset(200, 100);
        set.MarkAll(); // 4 x 2 tiles, the last column and row cut by the frame
        set.Clear(new PixelRect(10, 0, 128, 64)); // covers tile (1,0) whole, tiles (0,0) and (2,0) in part
        Assert.Equal(7, set.Count);
        set.Clear(new PixelRect(128, 64, 72, 36)); // reaches the frame's corner: the cut tiles (2,1) and (3,1)
        Assert.Equal(5, set.Count);
        Assert.Equal(5.0 / 8, set.Share);
    }

    [Fact]
    public void CollectStill_TakesOnlyStillTiles_UpToTheLimit_AndLeavesTheSet()
    {
        var time = new Demo.ManualTimeProvider(new DateTimeOffset(2026, 12, 2, 19, 0, 0, TimeSpan.Zero));
        var heat = new ChangeHeat(time);
        heat.Reset(640, 128);
        var set = new TileSet();
        set.Reset(640, 128);
        set.MarkAll(); // 10 x 2 tiles
        heat.Record([new PixelRect(0, 0, 64, 64)]);
        time.Advance(TimeSpan.FromMilliseconds(100));
        heat.Record([new PixelRect(128, 0, 64, 64)]);
        time.Advance(TimeSpan.FromMilliseconds(100));
        var rects = new List<PixelRect>();
        // 150 ms: tile (0,0) changed 200 ms ago (still), tile (2,0) 100 ms ago (not yet).
        int taken = set.CollectStill(heat, time.GetTimestamp(), TimeSpan.FromMilliseconds(150), maxTiles: 100, rects);
        Assert.Equal(19, taken);
        Assert.DoesNotContain(rects, r => r.X <= 128 && r.Right > 128 && r.Y == 0);
        Assert.Equal(20, set.Count);
        taken = set.CollectStill(heat, time.GetTimestamp(), TimeSpan.FromMilliseconds(150), maxTiles: 4, rects);
        Assert.Equal(4, taken);
        Assert.Equal([new PixelRect(0, 0, 128, 64), new PixelRect(192, 0, 128, 64)], rects);
    }
}
