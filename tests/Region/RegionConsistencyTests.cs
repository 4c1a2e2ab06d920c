using System.Buffers.Binary;
using WebConsole.Region;

namespace WebConsole.Tests.Region;

public sealed class RegionConsistencyTests
{
    private static readonly TimeSpan TestTime = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task Reader_NeverActsOnATornHeader()
    {
        // The writer flips between 64x32 and 32x64; a torn read would mix the two.
        using var temp = new TempRegion();
        using var writer = RegionWriter.Create(temp.Path, new RegionWriterOptions { Width = 64, Height = 32, BufferCount = 1 });
        using var stop = new CancellationTokenSource(TestTime);
        var producer = Background.Run(() =>
        {
            bool wide = true;
            while (!stop.IsCancellationRequested)
            {
                wide = !wide;
                // Field by field with pauses in between, as a slow producer would.
                writer.WriteBegin();
                BinaryPrimitives.WriteUInt32LittleEndian(writer.Meta[RegionFormat.OffWidth..], wide ? 64u : 32u);
                Thread.SpinWait(200);
                BinaryPrimitives.WriteUInt32LittleEndian(writer.Meta[RegionFormat.OffHeight..], wide ? 32u : 64u);
                Thread.SpinWait(200);
                BinaryPrimitives.WriteUInt32LittleEndian(writer.Meta[RegionFormat.OffStride..], wide ? 256u : 128u);
                BinaryPrimitives.WriteUInt32LittleEndian(writer.Meta[RegionFormat.OffGeneration..], writer.Generation + 1);
                writer.WriteEnd();
                Thread.SpinWait(200);
            }
        });
        using var reader = new RegionReader(temp.Path);
        int seen = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                reader.Poll();
                if (reader.Status == RegionStatus.Ready)
                {
                    seen++;
                    RegionHeader h = reader.Header;
                    Assert.Equal(64 * 32, h.Width * h.Height);
                    Assert.Equal(h.Width * 4, h.Stride);
                    Assert.Equal(h.Width, reader.FrameWidth);
                }
                else if (reader.Status == RegionStatus.Invalid && !reader.Reason!.Contains("header lock", StringComparison.Ordinal))
                {
                    // Waiting out a preempted producer is fine; rejecting a torn header as invalid is not.
                    Assert.Fail($"reader rejected a header: {reader.Reason}");
                }
            }
        }
        finally
        {
            stop.Cancel();
            await producer.WaitAsync(TimeSpan.FromSeconds(5));
        }
        Assert.True(seen > 100, $"only {seen} polls succeeded");
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    public async Task Reader_NeverReadsABufferTheProducerIsWriting(int buffers, bool requested)
    {
        // Each frame paints its whole buffer with one value; a copy that mixes frames shows two.
        using var temp = new TempRegion();
        const int W = 256, H = 128;
        using var writer = RegionWriter.Create(temp.Path, new RegionWriterOptions { Width = W, Height = H, BufferCount = buffers, Requested = requested });
        using var stop = new CancellationTokenSource(TestTime);
        var producer = Background.Run(() =>
        {
            byte value = 0;
            while (!stop.IsCancellationRequested)
            {
                if (requested && !writer.WaitForRequest(TimeSpan.FromMilliseconds(20)))
                {
                    continue;
                }
                if (!writer.TryBeginFrame(out Span<byte> pixels))
                {
                    writer.WaitForFreeBuffer(TimeSpan.FromMilliseconds(20));
                    continue;
                }
                value++;
                pixels.Fill(value);
                writer.PublishFull();
                if (requested)
                {
                    writer.Complete();
                }
            }
        });
        using var reader = new RegionReader(temp.Path);
        int frames = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (requested)
                {
                    reader.Poll();
                    reader.RequestUpdate();
                    reader.WaitForCompletion(TimeSpan.FromMilliseconds(100));
                }
                if (!reader.Poll().HasFlag(RegionChange.Pixels))
                {
                    continue;
                }
                frames++;
                ReadOnlySpan<byte> frame = reader.Frame;
                byte first = frame[0];
                int torn = frame.IndexOfAnyExcept(first);
                Assert.True(torn < 0, $"frame {reader.Header.FrameSeq} mixes {first} and {(torn < 0 ? 0 : frame[torn])} at byte {torn}");
            }
        }
        finally
        {
            // The producer writes through the mapping: stop it before the writer is disposed.
            stop.Cancel();
            await producer.WaitAsync(TimeSpan.FromSeconds(5));
        }
        Assert.True(frames > 20, $"only {frames} frames read");
    }

    [Fact]
    public void Reader_ReportsAProducerStuckInAnUpdate()
    {
        using var temp = new TempRegion();
        using var writer = RegionWriter.Create(temp.Path, new RegionWriterOptions { Width = 8, Height = 8 });
        writer.WriteBegin(); // and never ends: seq stays odd
        using var reader = new RegionReader(temp.Path);
        Assert.True(reader.Poll().HasFlag(RegionChange.Status));
        Assert.Equal(RegionStatus.Invalid, reader.Status);
        Assert.Contains("seq stays odd", reader.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RegionFormat.DamageRingSize - 1, false)]
    [InlineData(RegionFormat.DamageRingSize + 1, true)]
    public void Reader_RepaintsFully_OnlyWhenTheDamageRingOverflowed(int frames, bool overflow)
    {
        using var temp = new TempRegion();
        using var writer = RegionWriter.Create(temp.Path, new RegionWriterOptions { Width = 200, Height = 100 });
        writer.TryBeginFrame(out Span<byte> _);
        writer.PublishFull();
        using var reader = new RegionReader(temp.Path);
        reader.Poll();
        for (int i = 0; i < frames; i++)
        {
            Assert.True(writer.TryBeginFrame(out Span<byte> pixels));
            pixels[i * 4] = (byte)(i + 1); // pixel (i, 0)
            writer.Publish([new PixelRect(i, 0, 1, 1)]);
        }
        Assert.Equal(RegionChange.Pixels, reader.Poll());
        if (overflow)
        {
            Assert.Equal([new PixelRect(0, 0, 200, 100)], reader.Damage);
        }
        else
        {
            Assert.Equal(frames, reader.Damage.Count);
            Assert.All(reader.Damage, r => Assert.Equal(1, r.Area));
        }
        for (int i = 0; i < frames; i++)
        {
            Assert.Equal((byte)(i + 1), reader.Frame[i * 4]);
        }
    }

    [Fact]
    public void Reader_RepaintsFully_WhenADamageRecordLiesOutsideTheFrame()
    {
        using var temp = new TempRegion();
        using var writer = RegionWriter.Create(temp.Path, new RegionWriterOptions { Width = 20, Height = 10 });
        writer.TryBeginFrame(out Span<byte> _);
        writer.PublishFull();
        using var reader = new RegionReader(temp.Path);
        reader.Poll();
        writer.TryBeginFrame(out Span<byte> _);
        writer.Publish([new PixelRect(1, 1, 2, 2)]);
        // A hostile producer widens the record it just wrote past the frame.
        int record = RegionFormat.OffDamageRing + RegionFormat.DamageRecordSize * 1;
        writer.WriteBegin();
        BinaryPrimitives.WriteUInt32LittleEndian(writer.Meta[(record + 12)..], 5000);
        writer.WriteEnd();
        Assert.Equal(RegionChange.Pixels, reader.Poll());
        Assert.Equal([new PixelRect(0, 0, 20, 10)], reader.Damage);
    }

    [Fact]
    public void Reader_FollowsAGenerationChange()
    {
        using var temp = new TempRegion();
        using var writer = RegionWriter.Create(temp.Path, new RegionWriterOptions { Width = 100, Height = 50, MaxWidth = 200, MaxHeight = 100 });
        writer.TryBeginFrame(out Span<byte> _);
        writer.PublishFull();
        using var reader = new RegionReader(temp.Path);
        reader.Poll();
        Assert.Equal(1u, reader.Header.Generation);

        writer.SetMode(160, 90, PixelFormat.Rgb565);
        Assert.True(writer.TryBeginFrame(out Span<byte> pixels));
        pixels.Fill(0xFF); // white in RGB565
        writer.PublishFull();
        RegionChange change = reader.Poll();
        Assert.Equal(RegionChange.Mode | RegionChange.Pixels, change);
        Assert.Equal(2u, reader.Header.Generation);
        Assert.Equal((160, 90), (reader.FrameWidth, reader.FrameHeight));
        Assert.Equal([new PixelRect(0, 0, 160, 90)], reader.Damage);
        Assert.True(reader.Frame.IndexOfAnyExcept((byte)0xFF) < 0);
    }

    [Fact]
    public void Reader_DetectsAProducerRestart_ByReplacedFileAndByNewEpoch()
    {
        using var temp = new TempRegion();
        var first = RegionWriter.Create(temp.Path, new RegionWriterOptions { Width = 40, Height = 30 });
        first.TryBeginFrame(out Span<byte> pixels);
        pixels.Fill(1);
        first.PublishFull();
        first.TryBeginFrame(out pixels);
        first.PublishFull();
        using var reader = new RegionReader(temp.Path);
        reader.Poll();
        ulong firstEpoch = reader.Header.Epoch;
        first.Dispose();

        // A new process creates the region again: a new file renamed over the old one.
        using var second = RegionWriter.Create(temp.Path, new RegionWriterOptions { Width = 40, Height = 30 });
        second.TryBeginFrame(out pixels);
        pixels.Fill(2);
        second.PublishFull(); // frame_seq 1, lower than what the reader saw
        RegionChange change = reader.Poll();
        Assert.True(change.HasFlag(RegionChange.Restart), change.ToString());
        Assert.NotEqual(firstEpoch, reader.Header.Epoch);
        Assert.Equal([new PixelRect(0, 0, 40, 30)], reader.Damage);
        Assert.True(reader.Frame.IndexOfAnyExcept((byte)2) < 0);

        // A producer that keeps its file and restarts: same inode, new epoch.
        ulong secondEpoch = reader.Header.Epoch;
        using var third = RegionWriter.Attach(temp.Path);
        Assert.NotEqual(secondEpoch, third.Epoch);
        change = reader.Poll();
        Assert.True(change.HasFlag(RegionChange.Restart), change.ToString());
        Assert.Equal(third.Epoch, reader.Header.Epoch);
    }

    [Fact]
    public void Reader_WaitsForAProducerThatHasNotStarted_AndPicksItUpLater()
    {
        using var temp = new TempRegion();
        using var reader = new RegionReader(temp.Path);
        Assert.Equal(RegionChange.Status, reader.Poll());
        Assert.Equal(RegionStatus.Waiting, reader.Status);
        Assert.Contains("does not exist", reader.Reason, StringComparison.Ordinal);
        Assert.False(reader.RequestUpdate());

        using var writer = RegionWriter.Create(temp.Path, new RegionWriterOptions { Width = 8, Height = 8 });
        writer.TryBeginFrame(out Span<byte> _);
        writer.PublishFull();
        Assert.Equal(RegionChange.Status | RegionChange.Pixels | RegionChange.CursorImage, reader.Poll());
        Assert.Equal(RegionStatus.Ready, reader.Status);
    }
}
