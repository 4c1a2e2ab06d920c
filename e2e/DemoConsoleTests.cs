using Xunit.Abstractions;

namespace WebConsole.E2E;

[Collection(SharedBrowser.Name)]
public sealed class DemoConsoleTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task DemoConsole_LoadsAndKeepsChanging()
    {
        await using var server = await WebConsoleServer.StartAsync([ServerConsole.Demo()], output);
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/demo"), output);

        await page.WaitForLiveAsync();
        Assert.True(await page.GetAsync<int>("width") > 0 && await page.GetAsync<int>("height") > 0, await page.HookAsync());
        Assert.Equal("connected", await page.Page.InnerTextAsync("#status"));
        Assert.Equal("demo", await page.Page.InnerTextAsync("#console-name"));

        double first = await page.CanvasHashAsync();
        long firstFrame = await page.FrameIdAsync();
        await Task.Delay(1500);
        double second = await page.CanvasHashAsync();
        long secondFrame = await page.FrameIdAsync();

        Assert.NotEqual(first, second);
        Assert.True(secondFrame > firstFrame, $"frameId stayed at {firstFrame}");
        await Task.Delay(400); // the dimmed "not live" look fades out in 0.3 s
        output.WriteLine($"screenshot: {await page.ScreenshotAsync("demo-console")}");
    }
}
