using WebConsole.Capture;
using WebConsole.Region;
using WebConsole.Tests.TestData;

namespace WebConsole.Tests.Capture;

public sealed class ChangeDetectorTests
{
    private static PixelRect Full(TestImage frame) => new(0, 0, frame.Width, frame.Height);

    /// <summary>A detector that has seen <paramref name="frame"/> in full, so every tile is known.</summary>
    private static ChangeDetector Primed(TestImage frame, List<PixelRect> changed)
    {
        var detector = new ChangeDetector();
        detector.Reset(frame.Width, frame.Height);
        detector.FindChanges(frame.Bytes, frame.Stride, [Full(frame)], changed);
        return detector;
    }

    private static TestImage RandomFrame(int width, int height, int seed, int paddingBytes = 0)
    {
        var frame = new TestImage(width, height, paddingBytes);
        new Random(seed).NextBytes(frame.Bytes);
        return frame;
    }

    [Fact]
    public void FirstCallAfterReset_ReportsEveryDamagedTile()
    {
        var frame = new TestImage(300, 200); // all zero, like a fresh shadow: must still be reported
        var detector = new ChangeDetector();
        detector.Reset(frame.Width, frame.Height);
        var changed = new List<PixelRect>();

        detector.FindChanges(frame.Bytes, frame.Stride, [new PixelRect(70, 10, 60, 60)], changed);

        // x 70..129 touches tile columns 1 and 2, y 10..69 touches tile rows 0 and 1.
        Assert.Equal([new PixelRect(64, 0, 128, 128)], changed);
    }

    [Fact]
    public void TileNotDamagedSinceReset_IsReportedWhenFirstDamaged()
    {
        var frame = new TestImage(256, 128);
        var detector = new ChangeDetector();
        detector.Reset(frame.Width, frame.Height);
        var changed = new List<PixelRect>();
        detector.FindChanges(frame.Bytes, frame.Stride, [new PixelRect(0, 0, 64, 64)], changed);

        detector.FindChanges(frame.Bytes, frame.Stride, [Full(frame)], changed);

        // Everything but the first tile: those were never compared, so they count as changed.
        bool[] expected = ChangeAssert.AllTiles(frame.Width, frame.Height);
        expected[0] = false;
        ChangeAssert.CoversExactly(changed, expected, frame.Width, frame.Height);
    }

    [Fact]
    public void Reset_ForgetsTheShadow_SoAnUnchangedFrameIsReportedAgain()
    {
        TestImage frame = RandomFrame(200, 100, seed: 1);
        var changed = new List<PixelRect>();
        ChangeDetector detector = Primed(frame, changed);

        detector.Reset(frame.Width, frame.Height);
        detector.FindChanges(frame.Bytes, frame.Stride, [Full(frame)], changed);

        ChangeAssert.CoversExactly(changed, ChangeAssert.AllTiles(frame.Width, frame.Height), frame.Width, frame.Height);
    }

    [Fact]
    public void UnchangedPixelsUnderDamage_ReportNothing()
    {
        TestImage frame = RandomFrame(1000, 700, seed: 2, paddingBytes: 12);
        var changed = new List<PixelRect>();
        ChangeDetector detector = Primed(frame, changed);

        detector.FindChanges(frame.Bytes, frame.Stride, [Full(frame), new PixelRect(10, 10, 500, 500)], changed);

        Assert.Empty(changed);
    }

    [Theory]
    [InlineData(100, 70, 10, 10, 0, 0, 64, 64)]
    [InlineData(100, 70, 70, 65, 64, 64, 36, 6)] // bottom-right edge tile of a 100x70 frame
    [InlineData(100, 70, 99, 3, 64, 0, 36, 64)]
    [InlineData(100, 70, 5, 69, 0, 64, 64, 6)]
    [InlineData(1920, 1080, 1919, 1079, 1856, 1024, 64, 56)]
    [InlineData(1920, 1080, 640, 512, 640, 512, 64, 64)]
    public void OneChangedPixel_ReportsExactlyItsTile(int width, int height, int px, int py, int x, int y, int w, int h)
    {
        TestImage frame = RandomFrame(width, height, seed: 3);
        var changed = new List<PixelRect>();
        ChangeDetector detector = Primed(frame, changed);

        frame.ChangePixel(px, py);
        detector.FindChanges(frame.Bytes, frame.Stride, [Full(frame)], changed);

        Assert.Equal([new PixelRect(x, y, w, h)], changed);
    }

    [Fact]
    public void ChangeInTheXByteOnly_IsReported()
    {
        TestImage frame = RandomFrame(128, 64, seed: 4);
        var changed = new List<PixelRect>();
        ChangeDetector detector = Primed(frame, changed);

        frame.ChangePixel(100, 20, channel: 3);
        detector.FindChanges(frame.Bytes, frame.Stride, [Full(frame)], changed);

        Assert.Equal([new PixelRect(64, 0, 64, 64)], changed);
    }

    [Fact]
    public void ChangesOutsideDamage_AreIgnoredUntilDamaged()
    {
        TestImage frame = RandomFrame(256, 256, seed: 5);
        var changed = new List<PixelRect>();
        ChangeDetector detector = Primed(frame, changed);

        frame.ChangePixel(200, 200);
        detector.FindChanges(frame.Bytes, frame.Stride, [new PixelRect(0, 0, 128, 128)], changed);
        Assert.Empty(changed);

        // The shadow kept the old pixels, so the change shows once damage reaches it.
        detector.FindChanges(frame.Bytes, frame.Stride, [new PixelRect(195, 250, 1, 1)], changed);
        Assert.Equal([new PixelRect(192, 192, 64, 64)], changed);
    }

    [Fact]
    public void ChangesInStridePadding_AreIgnored()
    {
        TestImage frame = RandomFrame(100, 70, seed: 6, paddingBytes: 24);
        var changed = new List<PixelRect>();
        ChangeDetector detector = Primed(frame, changed);

        for (int y = 0; y < frame.Height; y++)
        {
            frame.Bytes[y * frame.Stride + frame.Width * 4 + 5] ^= 0xFF;
        }
        detector.FindChanges(frame.Bytes, frame.Stride, [Full(frame)], changed);

        Assert.Empty(changed);
    }

    [Fact]
    public void DamageBeyondTheFrame_IsClipped()
    {
        TestImage frame = RandomFrame(100, 70, seed: 7);
        var changed = new List<PixelRect>();
        ChangeDetector detector = Primed(frame, changed);
        frame.ChangePixel(99, 69);
        frame.ChangePixel(0, 0);

        detector.FindChanges(frame.Bytes, frame.Stride,
            [new PixelRect(-50, -50, 60, 60), new PixelRect(90, 60, int.MaxValue, int.MaxValue), new PixelRect(500, 500, 10, 10), new PixelRect(10, 10, 0, 5)],
            changed);

        Assert.Equal([new PixelRect(0, 0, 64, 64), new PixelRect(64, 64, 36, 6)], changed);
    }

    [Fact]
    public void NoDamage_ReportsNothing()
    {
        TestImage frame = RandomFrame(100, 70, seed: 8);
        var changed = new List<PixelRect> { new(1, 2, 3, 4) };
        var detector = new ChangeDetector();
        detector.Reset(frame.Width, frame.Height);

        detector.FindChanges(frame.Bytes, frame.Stride, [], changed);

        Assert.Empty(changed);
    }

    [Fact]
    public void FullFrameChangeAt1080p_Gives512Cells_CoveringTheFrameOnce()
    {
        TestImage frame = RandomFrame(1920, 1080, seed: 9);
        var changed = new List<PixelRect>();
        ChangeDetector detector = Primed(frame, changed);

        for (int i = 0; i < frame.Bytes.Length; i++)
        {
            frame.Bytes[i] ^= 1;
        }
        detector.FindChanges(frame.Bytes, frame.Stride, [Full(frame)], changed);

        ChangeAssert.CoversExactly(changed, ChangeAssert.AllTiles(frame.Width, frame.Height), frame.Width, frame.Height);
        // 4 bands (512, 512, 512, 384 wide) x 3 cells (512, 512, 56 tall).
        Assert.Equal(12, changed.Count);
        Assert.Contains(new PixelRect(1536, 1024, 384, 56), changed);
    }

    [Fact]
    public void ChangedBlockAlignedTo512_MergesIntoOneRect()
    {
        TestImage frame = RandomFrame(1024, 1024, seed: 10);
        var changed = new List<PixelRect>();
        ChangeDetector detector = Primed(frame, changed);

        for (int y = 512; y < 1024; y += 64)
        {
            for (int x = 0; x < 512; x += 64)
            {
                frame.ChangePixel(x + 63, y + 63);
            }
        }
        detector.FindChanges(frame.Bytes, frame.Stride, [Full(frame)], changed);

        Assert.Equal([new PixelRect(0, 512, 512, 512)], changed);
    }

    [Fact]
    public void RunsWithDifferentSpans_AreNotMergedOverUnchangedTiles()
    {
        TestImage frame = RandomFrame(512, 192, seed: 11);
        var changed = new List<PixelRect>();
        ChangeDetector detector = Primed(frame, changed);

        // Tile row 0: columns 0..3; row 1: columns 0..1; row 2: columns 0..1 and 3.
        foreach ((int tx, int ty) in new[] { (0, 0), (1, 0), (2, 0), (3, 0), (0, 1), (1, 1), (0, 2), (1, 2), (3, 2) })
        {
            frame.ChangePixel(tx * 64 + 7, ty * 64 + 9);
        }
        detector.FindChanges(frame.Bytes, frame.Stride, [Full(frame)], changed);

        Assert.Equal([new PixelRect(0, 0, 256, 64), new PixelRect(0, 64, 128, 128), new PixelRect(192, 128, 64, 64)], changed);
    }

    [Fact]
    public void RandomFramesAndDamage_RectsCoverExactlyTheChangedTiles()
    {
        var random = new Random(424242);
        var changed = new List<PixelRect>();
        var damage = new List<PixelRect>();
        var detector = new ChangeDetector();
        for (int mode = 0; mode < 40; mode++)
        {
            int width = random.Next(1, 1200), height = random.Next(1, 700);
            var frame = new TestImage(width, height, paddingBytes: random.Next(0, 3) * 4);
            random.NextBytes(frame.Bytes);
            detector.Reset(width, height);
            // The model: what the detector's shadow should hold, and which tiles it has seen.
            TestImage model = frame.Clone();
            bool[] known = new bool[ChangeAssert.TilesX(width) * ChangeAssert.TilesY(height)];

            for (int step = 0; step < 8; step++)
            {
                MutateRandomly(frame, random);
                RandomDamage(damage, width, height, random);

                detector.FindChanges(frame.Bytes, frame.Stride, damage, changed);

                bool[] expected = ExpectedChangedTiles(frame, model, known, damage);
                ChangeAssert.CoversExactly(changed, expected, width, height);
            }
        }
    }

    [Fact]
    public void FindChanges_AllocatesNothingInSteadyState()
    {
        TestImage a = RandomFrame(1920, 1080, seed: 12, paddingBytes: 64);
        TestImage b = a.Clone();
        for (int i = 0; i < b.Bytes.Length; i += 7)
        {
            b.Bytes[i] ^= 0x11;
        }
        PixelRect[] damage = [Full(a), new PixelRect(100, 100, 300, 300)];
        var changed = new List<PixelRect>();
        var detector = new ChangeDetector();
        detector.Reset(a.Width, a.Height);
        // Warm up both outcomes, so JIT tiers and the output list's capacity have settled.
        for (int i = 0; i < 3; i++)
        {
            detector.FindChanges(a.Bytes, a.Stride, damage, changed);
            detector.FindChanges(b.Bytes, b.Stride, damage, changed);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        detector.FindChanges(a.Bytes, a.Stride, damage, changed); // all changed
        detector.FindChanges(a.Bytes, a.Stride, damage, changed); // nothing changed
        detector.FindChanges(b.Bytes, b.Stride, damage, changed); // all changed again
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(12, changed.Count);
    }

    [Fact]
    public void FindChanges_BeforeReset_Throws()
    {
        var detector = new ChangeDetector();
        Assert.Throws<InvalidOperationException>(() => detector.FindChanges(new byte[16], 16, [new PixelRect(0, 0, 1, 1)], []));
    }

    [Fact]
    public void FindChanges_RejectsAStrideShorterThanARow()
    {
        var detector = new ChangeDetector();
        detector.Reset(100, 70);
        Assert.Throws<ArgumentOutOfRangeException>(() => detector.FindChanges(new byte[400 * 70], 396, [new PixelRect(0, 0, 1, 1)], []));
    }

    [Fact]
    public void FindChanges_RejectsAFrameSmallerThanTheMode()
    {
        var detector = new ChangeDetector();
        detector.Reset(100, 70);
        Assert.Throws<ArgumentException>(() => detector.FindChanges(new byte[400 * 70 - 1], 400, [new PixelRect(0, 0, 1, 1)], []));
    }

    [Fact]
    public void FindChanges_AcceptsAFrameWithoutPaddingAfterTheLastRow()
    {
        var detector = new ChangeDetector();
        detector.Reset(100, 70);
        var changed = new List<PixelRect>();
        detector.FindChanges(new byte[408 * 69 + 400], 408, [new PixelRect(0, 0, 100, 70)], changed);
        Assert.Equal([new PixelRect(0, 0, 100, 70)], changed);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 0)]
    [InlineData(-1, 10)]
    public void Reset_RejectsAnEmptyMode(int width, int height)
    {
        var detector = new ChangeDetector();
        Assert.Throws<ArgumentOutOfRangeException>(() => detector.Reset(width, height));
    }

    private static void MutateRandomly(TestImage frame, Random random)
    {
        switch (random.Next(4))
        {
            case 0: // nothing
                break;
            case 1: // a few single pixels, any channel
                for (int i = random.Next(1, 6); i > 0; i--)
                {
                    frame.ChangePixel(random.Next(frame.Width), random.Next(frame.Height), random.Next(4));
                }
                break;
            case 2: // a filled rectangle, often a no-op over parts it repaints with the same value
                int x = random.Next(frame.Width), y = random.Next(frame.Height);
                int w = random.Next(1, frame.Width - x + 1), h = random.Next(1, frame.Height - y + 1);
                byte value = (byte)random.Next(4);
                for (int row = y; row < y + h; row++)
                {
                    frame.Bytes.AsSpan(row * frame.Stride + x * 4, w * 4).Fill(value);
                }
                break;
            default: // everything, padding included
                random.NextBytes(frame.Bytes);
                break;
        }
    }

    private static void RandomDamage(List<PixelRect> damage, int width, int height, Random random)
    {
        damage.Clear();
        if (random.Next(4) == 0)
        {
            damage.Add(new PixelRect(0, 0, width, height));
            return;
        }
        for (int i = random.Next(0, 5); i > 0; i--)
        {
            // Some stick out of the frame on purpose.
            int x = random.Next(-20, width + 10), y = random.Next(-20, height + 10);
            damage.Add(new PixelRect(x, y, random.Next(0, width + 40), random.Next(0, height + 40)));
        }
    }

    /// <summary>
    /// The reference: a tile is changed when a damage rectangle overlaps it and it was never seen
    /// since Reset or any of its rows differs from the model; the model then takes its pixels.
    /// </summary>
    private static bool[] ExpectedChangedTiles(TestImage frame, TestImage model, bool[] known, List<PixelRect> damage)
    {
        int tilesX = ChangeAssert.TilesX(frame.Width), tilesY = ChangeAssert.TilesY(frame.Height);
        bool[] changed = new bool[tilesX * tilesY];
        for (int t = 0; t < changed.Length; t++)
        {
            var tile = new PixelRect(t % tilesX * 64, t / tilesX * 64, Math.Min(64, frame.Width - t % tilesX * 64), Math.Min(64, frame.Height - t / tilesX * 64));
            bool touched = false;
            foreach (PixelRect r in damage)
            {
                touched |= r.Width > 0 && r.Height > 0 && r.X < tile.Right && tile.X < r.Right && r.Y < tile.Bottom && tile.Y < r.Bottom;
            }
            if (!touched)
            {
                continue;
            }
            bool differs = !known[t];
            for (int y = tile.Y; y < tile.Bottom; y++)
            {
                Span<byte> now = frame.Bytes.AsSpan(y * frame.Stride + tile.X * 4, tile.Width * 4);
                Span<byte> before = model.Bytes.AsSpan(y * model.Stride + tile.X * 4, tile.Width * 4);
                differs |= !now.SequenceEqual(before);
                now.CopyTo(before);
            }
            known[t] = true;
            changed[t] = differs;
        }
        return changed;
    }
}
