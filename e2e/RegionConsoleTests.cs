using WebConsole.Region;
using Xunit.Abstractions;

namespace WebConsole.E2E;

[Collection(SharedBrowser.Name)]
public sealed class RegionConsoleTests(BrowserFixture browser, ITestOutputHelper output)
{
    private static readonly TimeSpan s_pictureTimeout = TimeSpan.FromSeconds(10);
    private static readonly PixelRect s_fullFrame = new(0, 0, Scenes.Width, Scenes.Height);

    // The page decodes with ImageDecoder where the browser has it (127.0.0.1 is a secure
    // context) and with createImageBitmap elsewhere; ?decoder=bitmap forces the fallback.
    [Theory]
    [InlineData("")]
    [InlineData("&decoder=bitmap")]
    public async Task RegionConsole_ShowsExactPixelsAndSendsOnlyWhatChanged(string decoder)
    {
        using var region = new TempRegion("pattern");
        using var producer = new TestProducer(region.Path, Scenes.Width, Scenes.Height);
        TestImage image = Scenes.Pattern();
        producer.Publish(image);
        await using var server = await WebConsoleServer.StartAsync([ServerConsole.Region("pattern", region.Path)], output);
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/pattern?scale=off" + decoder), output);
        Assert.True(await page.Page.EvaluateAsync<bool>("() => typeof ImageDecoder === 'function'"), "this Chromium has no ImageDecoder here");

        await page.WaitForLiveAsync();
        await page.WaitForAsync("c => c.width === 640 && c.height === 360");
        try
        {
            // Flat colours and text are lossless (solid / PNG): exact. The photo may be JPEG: close.
            await Eventually.HoldsAsync(async () =>
            {
                byte[] canvas = await page.ReadPixelsAsync(s_fullFrame);
                PixelAssert.ExactOutside(image, canvas, Scenes.PhotoArea);
                PixelAssert.Near(image, canvas, Scenes.PhotoArea, maxMeanError: 12, maxError: 128);
            }, s_pictureTimeout);
        }
        finally
        {
            await Task.Delay(400); // the dimmed "not live" look fades out in 0.3 s
            output.WriteLine($"screenshot: {await page.ScreenshotAsync("region-pattern")}");
            await LogKindsAsync(page);
        }

        // A static screen settles; then a 40x20 change must arrive alone, inside its tile.
        await Task.Delay(500);
        long before = await page.FrameIdAsync();
        Scenes.DrawChange(image);
        producer.Publish(image, Scenes.ChangeArea);
        await Eventually.HoldsAsync(async () =>
            PixelAssert.ExactIn(image, Scenes.ChangeArea, await page.ReadPixelsAsync(Scenes.ChangeArea)), s_pictureTimeout);

        List<PresentedUpdate> updates = await page.UpdatesAfterAsync(before);
        Assert.NotEmpty(updates);
        PixelRect tiles = Scenes.TilesOf(Scenes.ChangeArea);
        foreach (PresentedUpdate update in updates)
        {
            foreach (PresentedRect rect in update.Rects)
            {
                Assert.True(rect.LiesWithin(tiles), $"update {update.FrameId} sent {rect}, outside the changed tiles {tiles}");
            }
        }
        List<PresentedRect> last = await page.LastRectsAsync();
        Assert.All(last, rect => Assert.True(rect.LiesWithin(tiles), $"last update sent {rect}"));

        byte[] after = await page.ReadPixelsAsync(s_fullFrame);
        PixelAssert.ExactOutside(image, after, Scenes.PhotoArea);
        output.WriteLine($"screenshot: {await page.ScreenshotAsync("region-pattern-changed")}");
    }

    [Fact]
    public async Task MovingShape_LeavesNoTrailOnTheCanvas()
    {
        using var region = new TempRegion("moving");
        using var producer = new TestProducer(region.Path, Scenes.Width, Scenes.Height);
        var image = new TestImage(Scenes.Width, Scenes.Height);
        image.Fill(s_fullFrame, Scenes.Background);
        producer.Publish(image);
        await using var server = await WebConsoleServer.StartAsync([ServerConsole.Region("moving", region.Path)], output);
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/moving?scale=off"), output);
        await page.WaitForLiveAsync();

        // A square crosses the screen at 60 frames a second, each frame damaging where it was and where it is.
        var square = new PixelRect(0, 150, 40, 40);
        for (int frame = 0; frame < 150; frame++)
        {
            var next = square with { X = frame * 4, Y = 150 + (int)(60 * Math.Sin(frame / 9.0)) };
            image.Fill(square, Scenes.Background);
            image.Fill(next, Scenes.CounterColour(frame * 97));
            producer.Publish(image, square, next);
            square = next;
            await Task.Delay(16);
        }

        // Once it stops, the canvas is the last frame exactly: any missed erase shows as a trail.
        await Eventually.HoldsAsync(async () =>
            PixelAssert.ExactOutside(image, await page.ReadPixelsAsync(s_fullFrame)), s_pictureTimeout);
        Assert.True(await page.FramesPresentedAsync() > 10, await page.HookAsync());
    }

    [Fact]
    public async Task ProducerRestart_PageRecoversByItselfAndShowsNewContent()
    {
        using var region = new TempRegion("restart");
        var producer = new TestProducer(region.Path, Scenes.Width, Scenes.Height);
        try
        {
            TestImage first = Scenes.Pattern(photo: false);
            producer.Publish(first);
            await using var server = await WebConsoleServer.StartAsync([ServerConsole.Region("restart", region.Path)], output);
            await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/restart?scale=off"), output);
            await page.WaitForLiveAsync();
            await Eventually.HoldsAsync(async () =>
                PixelAssert.ExactOutside(first, await page.ReadPixelsAsync(s_fullFrame)), s_pictureTimeout);

            // The producer goes away and a new one starts on the same path with other content.
            producer.Dispose();
            producer = new TestProducer(region.Path, Scenes.Width, Scenes.Height);
            TestImage second = Scenes.Restarted();
            producer.Publish(second);

            await Eventually.HoldsAsync(async () =>
                PixelAssert.ExactOutside(second, await page.ReadPixelsAsync(s_fullFrame)), TimeSpan.FromSeconds(20));
            await page.WaitForLiveAsync();
            Assert.Equal("connected", await page.Page.InnerTextAsync("#status"));
        }
        finally
        {
            producer.Dispose();
        }
    }

    [Fact]
    public async Task ProducerRestartWithNewSize_PageResizesAndShowsNewContent()
    {
        using var region = new TempRegion("resize");
        var producer = new TestProducer(region.Path, Scenes.Width, Scenes.Height);
        try
        {
            producer.Publish(Scenes.Pattern());
            await using var server = await WebConsoleServer.StartAsync([ServerConsole.Region("resize", region.Path)], output);
            await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/resize"), output);
            await page.WaitForLiveAsync();
            await page.WaitForAsync("c => c.width === 640 && c.height === 360");

            producer.Dispose();
            producer = new TestProducer(region.Path, 800, 450);
            TestImage second = Scenes.Restarted(800, 450);
            producer.Publish(second);

            await page.WaitForAsync("c => c.width === 800 && c.height === 450", TimeSpan.FromSeconds(20));
            await Eventually.HoldsAsync(async () =>
                PixelAssert.ExactOutside(second, await page.ReadPixelsAsync(new PixelRect(0, 0, 800, 450))), s_pictureTimeout);
            Assert.Equal("800 × 450", await page.Page.InnerTextAsync("#console-size"));
        }
        finally
        {
            producer.Dispose();
        }
    }

    [Fact]
    public async Task MissingRegion_StatusSaysWaitingForProducer()
    {
        using var region = new TempRegion("missing");
        await using var server = await WebConsoleServer.StartAsync([ServerConsole.Region("missing", region.Path)], output);
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/missing"), output);

        await page.WaitForAsync("c => c.state === 'connected' && c.sourceState === 'waiting'");
        string status = await page.Page.InnerTextAsync("#status");
        Assert.Contains("waiting", status, StringComparison.Ordinal);
        Assert.Equal(await page.GetAsync<string?>("reason") ?? "waiting for producer", status);

        // The producer shows up: the page goes live without a reload.
        using var producer = new TestProducer(region.Path, Scenes.Width, Scenes.Height);
        TestImage image = Scenes.Restarted();
        producer.Publish(image);
        await page.WaitForLiveAsync(TimeSpan.FromSeconds(20));
        await Eventually.HoldsAsync(async () =>
            PixelAssert.ExactOutside(image, await page.ReadPixelsAsync(s_fullFrame)), s_pictureTimeout);
    }

    [Fact]
    public async Task InvalidRegion_StatusShowsTheReason()
    {
        using var region = new TempRegion("invalid");
        using (var producer = new TestProducer(region.Path, Scenes.Width, Scenes.Height))
        {
            producer.Publish(Scenes.Restarted());
        }
        // A format version from the future: a region this server must refuse, saying why.
        using (var file = new FileStream(region.Path, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = file.Length - RegionFormat.MetaSize + RegionFormat.OffVersionMajor;
            file.Write([99, 0]);
        }
        await using var server = await WebConsoleServer.StartAsync([ServerConsole.Region("invalid", region.Path)], output);
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/invalid"), output);

        await page.WaitForAsync("c => c.state === 'connected' && c.sourceState === 'invalid'");
        string status = await page.Page.InnerTextAsync("#status");
        Assert.Contains("version 99", status, StringComparison.Ordinal);
        Assert.Equal("bad", await page.Page.GetAttributeAsync("#status", "data-tone"));
        output.WriteLine($"screenshot: {await page.ScreenshotAsync("invalid-region")}");
    }

    private async Task LogKindsAsync(ConsolePage page)
    {
        List<PresentedUpdate> updates = await page.UpdatesAfterAsync(-1);
        int[] kinds = new int[3];
        foreach (PresentedUpdate update in updates)
        {
            foreach (PresentedRect rect in update.Rects)
            {
                if (rect.Kind is >= 0 and < 3)
                {
                    kinds[rect.Kind]++;
                }
            }
        }
        output.WriteLine($"{updates.Count} updates so far: {kinds[0]} solid, {kinds[1]} PNG, {kinds[2]} JPEG rectangles");
    }
}
