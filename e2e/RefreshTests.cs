using System.Diagnostics;
using WebConsole.Region;
using Xunit.Abstractions;

namespace WebConsole.E2E;

/// <summary>
/// The lossless refresh: what went out as JPEG is sent again as PNG once it has been still for
/// <c>Streaming:RefreshAfterMs</c>, so the canvas ends up equal to the producer's pixels; live
/// changes never wait behind it.
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed class RefreshTests(BrowserFixture browser, ITestOutputHelper output)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private static TestImage Photo(int width, int height, int seed)
    {
        var image = new TestImage(width, height);
        Scenes.DrawPhoto(image, new PixelRect(0, 0, width, height), seed);
        return image;
    }

    [Fact]
    public async Task PhotoWrittenOnce_IsExactOnTheCanvasWithinASecondOfStillness()
    {
        using var region = new TempRegion("refresh");
        using var producer = new TestProducer(region.Path, 640, 480);
        TestImage image = Photo(640, 480, seed: 7);
        producer.Publish(image);
        await using var server = await WebConsoleServer.StartAsync([ServerConsole.Region("photo", region.Path)], output);
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/photo?scale=off&stats=1"), output);
        await page.WaitForLiveAsync();
        await page.WaitForAsync("c => c.framesPresented > 0 && c.width === 640");
        var still = Stopwatch.StartNew(); // the producer wrote once, before the page joined

        // What arrived first was lossy (the picture is photo-like), then becomes exact.
        List<PresentedUpdate> first = await page.UpdatesAfterAsync(-1);
        Assert.Contains(first.SelectMany(u => u.Rects), r => r.Kind == 2);
        await page.WaitForAsync("c => c.stats.lossyShare === 0 && c.stats.refreshes > 0", s_timeout);
        TimeSpan exactAfter = still.Elapsed;
        PixelAssert.ExactIn(image, new PixelRect(0, 0, 640, 480), await page.ReadPixelsAsync(new PixelRect(0, 0, 640, 480)));
        output.WriteLine($"exact {exactAfter.TotalMilliseconds:F0} ms after the first picture");
        Assert.True(exactAfter < TimeSpan.FromSeconds(1), $"exact only after {exactAfter.TotalMilliseconds:F0} ms");
        await Task.Delay(1100); // the overlay renders once a second
        string stats = await page.GetAsync<string>("stats.text");
        Assert.Contains("0 % to refresh", stats, StringComparison.Ordinal);
        output.WriteLine($"screenshot: {await page.ScreenshotAsync("refresh-exact")}");

        // /metrics counts the refresh bytes in a series of their own.
        using var http = new HttpClient();
        string metrics = await http.GetStringAsync(server.Url("/metrics"));
        string line = metrics.Split('\n').First(l => l.StartsWith("webconsole_refresh_sent_bytes_total{", StringComparison.Ordinal));
        Assert.True(double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture) > 10_000, line);
    }

    [Fact]
    public async Task LiveChanges_KeepFlowingWhileALargeRefreshIsSent()
    {
        using var region = new TempRegion("refresh-live");
        using var producer = new TestProducer(region.Path, 1920, 1080);
        TestImage image = Photo(1920, 1080, seed: 9);
        producer.Publish(image);

        // A marker changes every 20 ms from before the page joins, so it is flowing when the 510
        // tiles of the picture come due for their refresh (32 messages of 16 tiles, each after the
        // last one's ack). The refresh waits a second of stillness, not 150 ms: on a loaded machine
        // the whole refresh could otherwise go out before the first marker change is read.
        var marker = new PixelRect(900, 500, 32, 32);
        using var stop = new CancellationTokenSource();
        Task live = Task.Run(async () =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                image.Fill(marker, i % 2 == 0 ? Scenes.Yellow : Scenes.Blue);
                producer.Publish(image, marker);
                await Task.Delay(20);
            }
        });
        var updates = new List<PresentedUpdate>();
        try
        {
            await using var server = await WebConsoleServer.StartAsync(
                [ServerConsole.Region("photo", region.Path)], output, arguments: ["--Streaming:RefreshAfterMs=1000"]);
            await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/photo?scale=off"), output, 2000, 1200);
            await page.WaitForLiveAsync();
            await page.WaitForAsync("c => c.framesPresented > 0 && c.width === 1920");

            // The page keeps its last 64 updates: gather them as they come, until the refresh is done.
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                updates.AddRange(await page.UpdatesAfterAsync(updates.Count == 0 ? -1 : updates[^1].FrameId));
                if (await page.Page.EvaluateAsync<bool>("() => window.webConsole.stats.refreshes > 0 && window.webConsole.stats.lossyShare < 0.05"))
                {
                    updates.AddRange(await page.UpdatesAfterAsync(updates.Count == 0 ? -1 : updates[^1].FrameId));
                    break;
                }
                Assert.True(deadline.Elapsed < s_timeout, $"the refresh never completed; hook: {await page.HookAsync()}");
                await Task.Delay(50);
            }
            await stop.CancelAsync();
            await live;

            // Live updates were drawn between the refresh's messages: the refresh never held them back.
            int first = updates.FindIndex(u => u.Refresh), last = updates.FindLastIndex(u => u.Refresh);
            int liveDuring = first < 0 ? 0 : updates.Skip(first).Take(last - first + 1).Count(u => !u.Refresh);
            output.WriteLine($"{updates.Count(u => u.Refresh)} refresh messages, {liveDuring} live updates drawn between the first and the last");
            Assert.True(first >= 0 && liveDuring > 0, $"no live update was drawn while the refresh went out ({updates.Count} updates seen)");

            // Once the marker stops, everything ends up exact.
            await Eventually.HoldsAsync(async () =>
                PixelAssert.ExactIn(image, new PixelRect(0, 0, 1920, 1080), await page.ReadPixelsAsync(new PixelRect(0, 0, 1920, 1080))), s_timeout);
        }
        finally
        {
            await stop.CancelAsync();
            await live;
        }
    }
}
