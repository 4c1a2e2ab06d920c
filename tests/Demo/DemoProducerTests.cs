using WebConsole.Demo;
using WebConsole.Region;

namespace WebConsole.Tests.Demo;

public sealed class DemoProducerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset Start = new(2025, 3, 14, 9, 26, 53, 0, TimeSpan.Zero);

    /// <summary>Polls until the producer has created its region (it does so on its own thread).</summary>
    private static void WaitUntilReady(RegionReader reader)
    {
        long deadline = Environment.TickCount64 + (long)Timeout.TotalMilliseconds;
        while (true)
        {
            reader.Poll();
            if (reader.Status == RegionStatus.Ready)
            {
                return;
            }
            Assert.True(Environment.TickCount64 < deadline, $"region never became ready: {reader.Reason}");
            Thread.Sleep(10);
        }
    }

    private static void RequestAndPoll(RegionReader reader)
    {
        Assert.True(reader.RequestUpdate());
        Assert.True(reader.WaitForCompletion(Timeout), "the producer did not answer the request");
        reader.Poll();
        Assert.Equal(RegionStatus.Ready, reader.Status);
    }

    private static async Task StopAsync(CancellationTokenSource stop, Task run)
    {
        await stop.CancelAsync();
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Producer_RequestedMode_PublishesOnlyWhenRequestedAndChanged()
    {
        using var file = new DemoRegionFile();
        var time = new ManualTimeProvider(Start);
        var producer = new DemoProducer(new DemoProducerOptions { Path = file.Path, Width = 640, Height = 480, Requested = true }, time);
        using var stop = new CancellationTokenSource();
        Task run = producer.RunAsync(stop.Token);
        using (var reader = new RegionReader(file.Path))
        {
            WaitUntilReady(reader);
            Assert.True(reader.Header.Requested);
            Thread.Sleep(200);
            reader.Poll();
            Assert.Equal(0u, reader.Header.FrameSeq); // no request, no frame

            RequestAndPoll(reader);
            Assert.Equal(1u, reader.Header.FrameSeq);
            Assert.Equal([new PixelRect(0, 0, 640, 480)], reader.Damage);

            RequestAndPoll(reader); // the clock stands still: answered, nothing published
            Assert.Equal(1u, reader.Header.FrameSeq);

            time.Advance(TimeSpan.FromSeconds(1));
            RequestAndPoll(reader);
            Assert.Equal(2u, reader.Header.FrameSeq);
            Assert.NotEmpty(reader.Damage);
            Assert.DoesNotContain(new PixelRect(0, 0, 640, 480), reader.Damage);
        }
        await StopAsync(stop, run);
        Assert.False(File.Exists(file.Path), "the region file should be deleted on stop");
    }

    [Fact]
    public async Task Producer_TypedKeysAndPointerReachTheFrameAndTheCursorPlane()
    {
        using var file = new DemoRegionFile();
        var time = new ManualTimeProvider(Start);
        var options = new DemoProducerOptions { Path = file.Path, Requested = true };
        var producer = new DemoProducer(options, time);
        using var stop = new CancellationTokenSource();
        Task run = producer.RunAsync(stop.Token);
        using (var reader = new RegionReader(file.Path))
        {
            WaitUntilReady(reader);
            RequestAndPoll(reader); // the cursor image is set before the first request is answered
            byte[] before = reader.Frame.ToArray();
            Assert.False(reader.Cursor.Visible); // no pointer event yet
            Assert.Equal((12, 19, 0, 0), (reader.Cursor.Width, reader.Cursor.Height, reader.Cursor.HotX, reader.Cursor.HotY));
            ReadOnlySpan<byte> image = reader.CursorImage;
            Assert.Equal(0xFF000000u, Frames.Pixel(image, 256, 0, 0)); // outline at the tip
            Assert.Equal(0xFFFFFFFFu, Frames.Pixel(image, 256, 1, 2)); // white fill
            Assert.Equal(0u, Frames.Pixel(image, 256, 11, 0)); // transparent

            InputEvent[] events =
            [
                InputEvent.Key(42, down: true), InputEvent.Key(35, down: true), InputEvent.Key(35, down: false),
                InputEvent.Key(23, down: true), InputEvent.Key(23, down: false), InputEvent.Key(42, down: false),
                InputEvent.Pointer(300, 690, 0),
            ];
            foreach (InputEvent e in events)
            {
                Assert.True(reader.TrySendInput(e));
            }
            RequestAndPoll(reader);

            Assert.Equal(2u, reader.Header.FrameSeq);
            Assert.True(reader.Cursor.Visible);
            Assert.Equal((300, 690), (reader.Cursor.X, reader.Cursor.Y));

            // The same scene fed the same input, drawn directly, is what the reader must see.
            var expected = new DemoScene(options, time);
            foreach (InputEvent e in events)
            {
                expected.HandleInput(e);
            }
            Assert.Equal("HI", expected.Typed.ToString());
            byte[] direct = new byte[1280 * 4 * 720];
            expected.Render(direct, 1280 * 4);
            var whole = new PixelRect(0, 0, 1280, 720);
            Assert.NotNull(Frames.FirstDifference(before, 1280 * 4, reader.Frame, reader.FrameStride, expected.TypedBounds));
            Assert.Null(Frames.FirstDifference(direct, 1280 * 4, reader.Frame, reader.FrameStride, expected.TypedBounds));
            Assert.Null(Frames.FirstDifference(direct, 1280 * 4, reader.Frame, reader.FrameStride, whole));
        }
        await StopAsync(stop, run);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Producer_ReaderFrameMatchesTheSceneAfterEveryRequest(int buffers)
    {
        // Whatever the reader copies (damage only) must add up to the exact frame, through the
        // writer's buffer catch-up, for any buffer count: the same as the scene drawn whole.
        using var file = new DemoRegionFile();
        var time = new ManualTimeProvider(Start);
        var options = new DemoProducerOptions { Path = file.Path, Width = 800, Height = 600, BufferCount = buffers, Requested = true };
        var producer = new DemoProducer(options, time);
        var expected = new DemoScene(options, time);
        byte[] direct = new byte[800 * 4 * 600];
        var whole = new PixelRect(0, 0, 800, 600);
        using var stop = new CancellationTokenSource();
        Task run = producer.RunAsync(stop.Token);
        using (var reader = new RegionReader(file.Path))
        {
            WaitUntilReady(reader);
            for (int i = 0; i < 60; i++)
            {
                InputEvent[] events =
                [
                    InputEvent.Pointer(20 + i * 13 % 760, 100 + i * 37 % 480, i % 7 == 0 ? InputEvent.ButtonLeft : 0),
                    InputEvent.Key((ushort)(16 + i % 10), down: true),
                    InputEvent.Key((ushort)(16 + i % 10), down: false),
                ];
                foreach (InputEvent e in events)
                {
                    Assert.True(reader.TrySendInput(e));
                    expected.HandleInput(e);
                }
                RequestAndPoll(reader);
                expected.Render(direct, 800 * 4); // brings the scene to this request's state
                expected.DrawAll(direct, 800 * 4);
                var mismatch = Frames.FirstDifference(direct, 800 * 4, reader.Frame, reader.FrameStride, whole);
                Assert.True(mismatch is null, $"request {i}: the reader's frame differs at {mismatch}");
                time.Advance(TimeSpan.FromMilliseconds(41 + i % 5 * 170));
            }
        }
        await StopAsync(stop, run);
    }

    [Fact]
    public async Task Producer_FreeRunning_PublishesOnlyWhileSomethingChanges()
    {
        using var file = new DemoRegionFile();
        var time = new ManualTimeProvider(Start);
        var producer = new DemoProducer(new DemoProducerOptions { Path = file.Path, Width = 640, Height = 480, FramesPerSecond = 60 }, time);
        using var stop = new CancellationTokenSource();
        Task run = producer.RunAsync(stop.Token);
        using (var reader = new RegionReader(file.Path))
        {
            long deadline = Environment.TickCount64 + (long)Timeout.TotalMilliseconds;
            do
            {
                Assert.True(Environment.TickCount64 < deadline, "the first frame never came");
                Thread.Sleep(10);
                reader.Poll();
            }
            while (reader.Header.FrameSeq == 0);
            Thread.Sleep(300); // a frozen clock and no input: nothing to publish
            reader.Poll();
            Assert.Equal(1u, reader.Header.FrameSeq);

            time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(reader.WaitForChange(Timeout));
            reader.Poll();
            Assert.Equal(2u, reader.Header.FrameSeq);
            Assert.DoesNotContain(new PixelRect(0, 0, 640, 480), reader.Damage);

            // Input alone makes a frame too, and moves the cursor plane.
            Assert.True(reader.TrySendInput(InputEvent.Pointer(50, 60, 0)));
            deadline = Environment.TickCount64 + (long)Timeout.TotalMilliseconds;
            do
            {
                Assert.True(Environment.TickCount64 < deadline, "the pointer event made no frame");
                reader.WaitForChange(TimeSpan.FromMilliseconds(100));
                reader.Poll();
            }
            while (reader.Header.FrameSeq < 3);
            Assert.True(reader.Cursor.Visible);
            Assert.Equal((50, 60), (reader.Cursor.X, reader.Cursor.Y));
        }
        await StopAsync(stop, run);
        Assert.False(File.Exists(file.Path));
    }

    [Fact]
    public async Task Producer_FreeRunning_KeepsToItsFrameRate()
    {
        using var file = new DemoRegionFile();
        var producer = new DemoProducer(new DemoProducerOptions { Path = file.Path, Width = 640, Height = 480, FramesPerSecond = 20 }, TimeProvider.System);
        using var stop = new CancellationTokenSource();
        Task run = producer.RunAsync(stop.Token);
        using (var reader = new RegionReader(file.Path))
        {
            WaitUntilReady(reader);
            uint first = reader.Header.FrameSeq;
            Thread.Sleep(1000);
            reader.Poll();
            uint frames = reader.Header.FrameSeq - first;
            // The square moves every frame, so every tick publishes; never faster than asked.
            Assert.InRange(frames, 2u, 22u);
        }
        await StopAsync(stop, run);
    }

    [Fact]
    public void Producer_RejectsOptionsThatDescribeNoRegion()
    {
        Assert.Throws<ArgumentException>(() => new DemoProducer(new DemoProducerOptions { Width = 0 }, TimeProvider.System));
        Assert.Throws<ArgumentException>(() => new DemoProducer(new DemoProducerOptions { BufferCount = 4 }, TimeProvider.System));
        Assert.Throws<ArgumentException>(() => new DemoProducer(new DemoProducerOptions { FramesPerSecond = 0 }, TimeProvider.System));
    }
}
