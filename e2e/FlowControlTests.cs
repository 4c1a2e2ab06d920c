using System.Diagnostics;
using WebConsole.Region;
using Xunit.Abstractions;

namespace WebConsole.E2E;

[Collection(SharedBrowser.Name)]
public sealed class FlowControlTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const int Viewers = 5;
    private const int FramesPerSecond = 30;
    private static readonly PixelRect s_animated = new(64, 64, 200, 100);

    /// <summary>A whole tile inside the animated area, painted in a colour that spells the frame number.</summary>
    private static readonly PixelRect s_counterTile = new(128, 64, 64, 64);

    private static readonly PixelRect s_probe = new(160, 96, 1, 1);

    [Fact]
    public async Task StalledViewer_DoesNotHoldBackOthers_AndServerMemoryStaysBounded()
    {
        using var region = new TempRegion("anim");
        using var producer = new TestProducer(region.Path, Scenes.Width, Scenes.Height);
        TestImage image = Scenes.Pattern();
        producer.Publish(image);
        await using var server = await WebConsoleServer.StartAsync([ServerConsole.Region("anim", region.Path)], output);

        using var stop = new CancellationTokenSource();
        int produced = 0;
        Task animation = Task.Run(async () =>
        {
            // Each frame repaints the 200x100 area: fresh noise (real encoding work, sizeable
            // updates) around one flat tile whose colour spells the frame number.
            var random = new Random(7);
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / FramesPerSecond));
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            {
                int n = produced + 1;
                Scenes.DrawNoise(image, s_animated, random);
                image.Fill(s_counterTile, Scenes.CounterColour(n));
                producer.Publish(image, s_animated);
                Volatile.Write(ref produced, n);
            }
        });

        var pages = new List<ConsolePage>();
        try
        {
            for (int i = 0; i < Viewers; i++)
            {
                pages.Add(await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/anim?scale=off"), output, 900, 500));
            }
            foreach (ConsolePage page in pages)
            {
                await page.WaitForLiveAsync();
            }

            ConsolePage stalled = pages[0];
            await stalled.SetPauseAcksAsync(true);
            long stalledAtPause = await stalled.FramesPresentedAsync();

            await Task.Delay(3000); // warm-up: JIT, pools and caches settle
            long baseline = server.WorkingSet;
            long peak = baseline;
            var started = new long[Viewers];
            for (int i = 1; i < Viewers; i++)
            {
                started[i] = await pages[i].FrameIdAsync();
            }
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(5))
            {
                await Task.Delay(250);
                peak = Math.Max(peak, server.WorkingSet);
            }
            Assert.False(animation.IsCompleted, $"the producer stopped: {animation.Exception}");

            for (int i = 1; i < Viewers; i++)
            {
                long frameId = await pages[i].FrameIdAsync();
                Assert.True(frameId > started[i] + 20, $"viewer {i} went from update {started[i]} to {frameId} in 5 s");
                byte[] pixel = await pages[i].ReadPixelsAsync(s_probe);
                int now = Volatile.Read(ref produced); // after the read: the page cannot be ahead of it
                int shown = Scenes.CounterOf(new Rgb(pixel[0], pixel[1], pixel[2]));
                output.WriteLine($"viewer {i}: update {frameId}, shows producer frame {shown} (mod {Scenes.CounterPeriod}) of {now}");
                Assert.True(Scenes.CounterLag(now, shown) <= FramesPerSecond,
                    $"viewer {i} shows producer frame {shown} (mod {Scenes.CounterPeriod}), the producer is at {now}; {await pages[i].HookAsync()}");
            }

            // The stalled viewer holds at most the two updates that were in flight.
            long stalledNow = await stalled.FramesPresentedAsync();
            Assert.True(stalledNow - stalledAtPause <= 2, $"the stalled viewer presented {stalledNow - stalledAtPause} updates after it stopped acknowledging");

            const long allowed = 60L << 20;
            output.WriteLine($"server working set: {baseline >> 20} MB after warm-up, peak {peak >> 20} MB over 5 s");
            Assert.True(peak - baseline <= allowed, $"server working set grew by {(peak - baseline) >> 20} MB (from {baseline >> 20} MB)");

            // Acknowledging again, the stalled viewer catches up.
            await stalled.SetPauseAcksAsync(false);
            await Eventually.HoldsAsync(async () =>
            {
                byte[] pixel = await stalled.ReadPixelsAsync(s_probe);
                int shown = Scenes.CounterOf(new Rgb(pixel[0], pixel[1], pixel[2]));
                Assert.True(Scenes.CounterLag(Volatile.Read(ref produced), shown) <= FramesPerSecond, $"the resumed viewer shows frame {shown}");
            }, TimeSpan.FromSeconds(10));
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await animation.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (OperationCanceledException)
            {
            }
            foreach (ConsolePage page in pages)
            {
                await page.DisposeAsync();
            }
        }
    }
}
