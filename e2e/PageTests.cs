using Xunit.Abstractions;

namespace WebConsole.E2E;

[Collection(SharedBrowser.Name)]
public sealed class PageTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task IndexPage_ListsConsolesWithLiveThumbnailsAndLinks()
    {
        using var region = new TempRegion("listed");
        await using var server = await WebConsoleServer.StartAsync(
            [ServerConsole.Demo(), ServerConsole.Region("listed", region.Path)], output);
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/"), output, 1100, 700);

        await page.Page.WaitForSelectorAsync(".card[data-id='demo'][data-state='ready'] .thumb img:not([hidden])");
        await page.Page.WaitForSelectorAsync(".card[data-id='listed'][data-state='waiting']");
        Assert.Equal(server.Url("/console/demo").ToString(), await page.Page.GetAttributeAsync(".card[data-id='demo'] a.name", "href"));
        Assert.True(await page.Page.EvaluateAsync<bool>(
            "() => document.querySelector(\".card[data-id='demo'] img\").naturalWidth > 0"));
        string detail = await page.Page.InnerTextAsync(".card[data-id='demo'] .detail");
        Assert.Matches(@"^\d+ × \d+ · demo · \d+ viewers?$", detail);
        Assert.False(string.IsNullOrWhiteSpace(await page.Page.InnerTextAsync(".card[data-id='listed'] .reason")));

        // The thumbnail is live: it is fetched again with a new time stamp.
        string? first = await page.Page.GetAttributeAsync(".card[data-id='demo'] img", "src");
        await page.Page.WaitForFunctionAsync(
            "src => document.querySelector(\".card[data-id='demo'] img\").getAttribute('src') !== src", first,
            new() { Timeout = 10_000 });

        output.WriteLine($"screenshot: {await page.ScreenshotAsync("index")}");

        await page.Page.ClickAsync(".card[data-id='demo'] a.name");
        await page.WaitForLiveAsync();
        Assert.EndsWith("/console/demo", page.Page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FitScale_FillsTheWindowKeepingAspectRatio()
    {
        await using var server = await WebConsoleServer.StartAsync([ServerConsole.Demo()], output);
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/demo"), output, 1000, 700);
        await page.WaitForLiveAsync();

        Box box = await CanvasBoxAsync(page);
        Assert.Equal(box.FrameWidth / (double)box.FrameHeight, box.CssWidth / box.CssHeight, 2);
        Assert.True(box.CssWidth <= box.ScreenWidth + 0.5 && box.CssHeight <= box.ScreenHeight + 0.5, box.ToString());
        Assert.True(Math.Abs(box.CssWidth - box.ScreenWidth) < 1.5 || Math.Abs(box.CssHeight - box.ScreenHeight) < 1.5,
            $"fit leaves room on both axes: {box}");
        Assert.Equal("fit", await page.GetAsync<string>("scale"));
    }

    [Fact]
    public async Task ScaleOff_MapsOneFramePixelToOneDevicePixelOnHiDpi()
    {
        await using var server = await WebConsoleServer.StartAsync([ServerConsole.Demo()], output);
        await using var page = await ConsolePage.OpenAsync(
            browser.Browser, server.Url("/console/demo?scale=off"), output, 800, 600, deviceScaleFactor: 2);
        await page.WaitForLiveAsync();

        Box box = await CanvasBoxAsync(page);
        Assert.Equal(box.FrameWidth / 2.0, box.CssWidth, 2);
        Assert.Equal(box.FrameHeight / 2.0, box.CssHeight, 2);
        Assert.Equal("pixelated", await page.Page.EvaluateAsync<string>(
            "() => getComputedStyle(document.getElementById('canvas')).imageRendering"));
        Assert.Equal("off", await page.GetAsync<string>("scale"));
    }

    private static async Task<Box> CanvasBoxAsync(ConsolePage page)
    {
        double[] v = await page.Page.EvaluateAsync<double[]>(
            """
            () => {
                const c = document.getElementById('canvas'), r = c.getBoundingClientRect();
                const s = document.getElementById('screen');
                return [c.width, c.height, r.width, r.height, s.clientWidth, s.clientHeight];
            }
            """);
        return new Box((int)v[0], (int)v[1], v[2], v[3], v[4], v[5]);
    }

    private sealed record Box(int FrameWidth, int FrameHeight, double CssWidth, double CssHeight, double ScreenWidth, double ScreenHeight);
}
