using System.Buffers.Binary;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace WebConsole.E2E;

/// <summary>The console page's toolbar, statistics overlay and URL parameters.</summary>
[Collection(SharedBrowser.Name)]
public sealed partial class ToolbarTests(BrowserFixture browser, ITestOutputHelper output)
{
    private Task<(WebConsoleServer Server, TestProducer Producer, TempRegion Region)> StartAsync(string id) =>
        PatternConsole.StartAsync(id, output);

    [Fact]
    public async Task Toolbar_ScreenshotDownloadsAPngOfTheFrame_ScaleToggles_StatsShow_AndItHides()
    {
        var (server, producer, region) = await StartAsync("bar");
        using (region)
        using (producer)
        await using (server)
        await using (var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/bar"), output))
        {
            await page.WaitForLiveAsync();
            await Task.Delay(400);
            output.WriteLine($"screenshot: {await page.ScreenshotAsync("toolbar")}");

            // Screenshot: a PNG of the frame's own size (not the scaled canvas), named <console>-<time>.png.
            IDownload download = await page.Page.RunAndWaitForDownloadAsync(() => page.Page.ClickAsync("#btn-screenshot"));
            Assert.Matches(FileNamePattern(), download.SuggestedFilename);
            string path = Path.Combine(Path.GetTempPath(), $"wc-shot-{Guid.NewGuid():N}.png");
            await download.SaveAsAsync(path);
            byte[] png = await File.ReadAllBytesAsync(path);
            File.Delete(path);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            Assert.Equal(Scenes.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
            Assert.Equal(Scenes.Height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));

            // Scale: fit (larger than the frame here) to 1:1 and back.
            await page.Page.ClickAsync("#scale-toggle");
            await page.WaitForAsync("c => c.scale === 'off'");
            Assert.Equal(640, await page.Page.EvaluateAsync<double>("() => document.getElementById('canvas').getBoundingClientRect().width"));
            Assert.Equal("true", await page.Page.GetAttributeAsync("#scale-toggle", "aria-pressed"));
            await page.Page.ClickAsync("#scale-toggle");
            await page.WaitForAsync("c => c.scale === 'fit'");
            Assert.True(await page.Page.EvaluateAsync<double>("() => document.getElementById('canvas').getBoundingClientRect().width") > 1000);

            // Statistics: frames per second, a round trip, bandwidth.
            await page.Page.ClickAsync("#btn-stats");
            await page.WaitForAsync("c => c.stats.visible && c.stats.rttMs !== null");
            Assert.Matches(@"^\d+\.\d fps · rtt \d+\.\d ms · \d+ kbit/s( \(refresh \d+\))? · q(\d+|–) · \d+ % to refresh$", await page.Page.InnerTextAsync("#stats"));

            // Panels open one at a time; Escape in the text box closes it.
            await page.Page.ClickAsync("#btn-keys");
            Assert.True(await page.Page.IsVisibleAsync("#keys-panel"));
            output.WriteLine($"screenshot: {await page.ScreenshotAsync("toolbar-keys")}");
            await page.Page.ClickAsync("#btn-type");
            Assert.True(await page.Page.IsHiddenAsync("#keys-panel"));
            Assert.True(await page.Page.IsVisibleAsync("#type-panel"));
            output.WriteLine($"screenshot: {await page.ScreenshotAsync("toolbar-type")}");
            await page.Page.Keyboard.PressAsync("Escape");
            Assert.True(await page.Page.IsHiddenAsync("#type-panel"));

            // Hide: the screen gets the whole window; the handle brings the toolbar back.
            await page.Page.ClickAsync("#btn-hide");
            await page.WaitForAsync("c => c.toolbarHidden");
            Assert.True(await page.Page.IsVisibleAsync("#toolbar-show"));
            Assert.Equal(800, await page.Page.EvaluateAsync<double>("() => document.getElementById('screen').clientHeight"));
            output.WriteLine($"screenshot: {await page.ScreenshotAsync("toolbar-hidden")}");
            await page.Page.ClickAsync("#toolbar-show");
            await page.WaitForAsync("c => !c.toolbarHidden");

            // Full screen from the button (a real click).
            await page.Page.ClickAsync("#btn-fullscreen");
            await page.Page.WaitForFunctionAsync("() => document.fullscreenElement !== null");
            // The button follows the fullscreenchange event, which comes just after fullscreenElement is set.
            await page.Page.WaitForFunctionAsync("() => document.getElementById('btn-fullscreen').getAttribute('aria-pressed') === 'true'",
                null, new() { Timeout = 5_000 });
            Assert.Equal("true", await page.Page.GetAttributeAsync("#btn-fullscreen", "aria-pressed"));
            await page.Page.ClickAsync("#btn-fullscreen");
            await page.Page.WaitForFunctionAsync("() => document.fullscreenElement === null");
        }
    }

    [Fact]
    public async Task Params_ToolbarOff_ViewOnly_AndStatsFromTheUrl()
    {
        var (server, producer, region) = await StartAsync("params");
        using (region)
        using (producer)
        await using (server)
        await using (var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/params?toolbar=0&view_only=1&scale=off&stats=1"), output))
        {
            await page.WaitForLiveAsync();
            Assert.True(await page.Page.IsHiddenAsync("#toolbar"));
            Assert.True(await page.Page.IsHiddenAsync("#toolbar-show"));
            Assert.Equal("off", await page.GetAsync<string>("scale"));
            Assert.True(await page.Page.IsVisibleAsync("#stats"));
            Assert.False(await page.Page.EvaluateAsync<bool>("() => document.getElementById('view-only').hidden")); // in the toolbar, if shown

            // View only: keys and clicks stay on the page.
            producer.ClearInput();
            await page.Page.FocusAsync("#canvas");
            await page.Page.Keyboard.PressAsync("KeyA");
            await page.Page.Mouse.ClickAsync(100, 100);
            await page.Page.Mouse.WheelAsync(0, 100);
            await Task.Delay(500);
            await producer.WaitForInputAsync(_ => true, "nothing");
            Assert.Empty(producer.Input);
            Assert.Equal(0, await page.GetAsync<int>("inputSent"));
        }
    }

    [Fact]
    public async Task Params_AutoconnectOff_WaitsForConnect_AndReconnectOff_StaysDisconnected()
    {
        var (server, producer, region) = await StartAsync("manual");
        using (region)
        using (producer)
        await using (server)
        await using (var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/manual?autoconnect=0&reconnect=0"), output))
        {
            await Task.Delay(500);
            Assert.NotEqual("connected", await page.GetAsync<string>("state"));
            Assert.Equal("disconnected", await page.Page.InnerTextAsync("#status"));
            Assert.True(await page.Page.IsVisibleAsync("#btn-connect"));
            output.WriteLine($"screenshot: {await page.ScreenshotAsync("autoconnect-off")}");
            await page.Page.ClickAsync("#btn-connect");
            await page.WaitForLiveAsync();
            Assert.True(await page.Page.IsHiddenAsync("#connect-overlay"));

            await server.StopAsync();
            await page.WaitForAsync("c => c.state === 'stopped'");
            await Task.Delay(1500);
            Assert.Equal("stopped", await page.GetAsync<string>("state"));
            Assert.True(await page.Page.IsVisibleAsync("#btn-connect"));
        }
    }

    [GeneratedRegex(@"^bar-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.png$")]
    private static partial Regex FileNamePattern();
}
