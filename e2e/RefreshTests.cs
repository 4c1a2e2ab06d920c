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
    public async Task LiveChange_OvertakesALargeRefresh()
    {
        using var region = new TempRegion("refresh-live");
        using var producer = new TestProducer(region.Path, 1280, 720);
        TestImage image = Photo(1280, 720, seed: 9);
        producer.Publish(image);
        await using var server = await WebConsoleServer.StartAsync([ServerConsole.Region("photo", region.Path)], output);
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/photo?scale=off"), output, 1400, 900);
        await page.WaitForLiveAsync();
        await page.WaitForAsync("c => c.framesPresented > 0 && c.width === 1280");
        // The refresh of 240 tiles (16 per message) is under way ...
        await page.WaitForAsync("c => c.stats.refreshes > 0", s_timeout);
        // ... when a live change arrives: it is drawn while most of the refresh is still to come.
        var marker = new PixelRect(600, 300, 32, 32);
        image.Fill(marker, Scenes.Yellow);
        long before = await page.FrameIdAsync();
        producer.Publish(image, marker);
        await page.WaitForAsync("(c, id) => c.updates.some(u => u.frameId > id && !u.refresh && " +
            "u.rects.some(r => r.x < 632 && r.x + r.w > 600 && r.y < 332 && r.y + r.h > 300))", s_timeout, before);
        double lossyWhenDrawn = await page.GetAsync<double>("stats.lossyShare");
        output.WriteLine($"the live change was drawn with {lossyWhenDrawn:P0} of the picture still waiting for its refresh");
        Assert.True(lossyWhenDrawn > 0.25, $"only {lossyWhenDrawn:P0} was left to refresh when the live change was drawn");
        // Live: yellow on a photo is many-coloured, so JPEG at first; close now, exact after the refresh.
        PixelAssert.Near(image, await page.ReadPixelsAsync(new PixelRect(0, 0, 1280, 720)), marker, maxMeanError: 12, maxError: 128);
        await Eventually.HoldsAsync(async () =>
            PixelAssert.ExactIn(image, new PixelRect(0, 0, 1280, 720), await page.ReadPixelsAsync(new PixelRect(0, 0, 1280, 720))), s_timeout);
    }
}
