using System.Diagnostics;
using System.Net;
using Microsoft.Playwright;
using WebConsole.Region;
using Xunit.Abstractions;
using static WebConsole.E2E.InputScreen;

namespace WebConsole.E2E;

/// <summary>
/// The live console set in the browser: a dashboard creates a console through the API, embeds it
/// with a ticket, drives it and deletes it (the frame says "console removed" and stays
/// disconnected); a console pointed at another source repaints in the same page at the new size;
/// the list page and the sample dashboard gain and lose consoles as the set changes.
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed class ConsoleSetTests(BrowserFixture browser, ITestOutputHelper output)
{
    /// <summary>How soon a console that comes or goes must show in a page.</summary>
    private static readonly TimeSpan s_seenWithin = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_pictureTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Negotiate requests the page in <paramref name="frame"/> has made: one per hub connection it opened.</summary>
    private static Task<int> HubConnectionsAsync(IFrame frame) => frame.EvaluateAsync<int>(
        "() => performance.getEntriesByType('resource').filter(e => e.name.includes('/hubs/console/negotiate')).length");

    [Fact]
    public async Task Dashboard_CreatesEmbedsDrivesAndDeletesAConsole_TheFrameSaysRemovedAndStaysDisconnected()
    {
        using var dashboard = new SecurityDashboard();
        using var region = new TempRegion("dash-vm");
        using var producer = new TestProducer(region.Path, Scenes.Width, Scenes.Height);
        producer.Publish(Scenes.Pattern());
        await using var server = await WebConsoleServer.StartAsync([], output, arguments: SecurityFixture.Arguments(SecurityDashboard.Origin(dashboard.Allowed)));
        using var api = new ConsoleApi(server, SecurityFixture.ApiKey);

        // The dashboard's backend: create the console, ask for a ticket, embed it.
        await api.PutAsync("vm", "region:" + region.Path, HttpStatusCode.Created);
        string ticket = await SecurityFixture.AskAsync(server, "vm", "control");
        IBrowserContext context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1000, Height = 660 } });
        try
        {
            IPage page = await context.NewPageAsync();
            page.Console += (_, m) => output.WriteLine($"[dashboard console.{m.Type}] {m.Text}");
            await page.GotoAsync(SecurityDashboard.Page(dashboard.Allowed, server.Url("/console/vm") + "#ticket=" + ticket).ToString());
            await page.WaitForFunctionAsync(
                "() => ['ready', 'connected'].every(name => window.events.some(e => e.event === name && e.console === 'vm'))",
                null, new() { Timeout = 20_000, PollingInterval = 50 });
            IFrame frame = await ConsoleFrameAsync(page);
            await frame.WaitForFunctionAsync("() => window.webConsole.sourceState === 'ready' && window.webConsole.framesPresented > 0",
                null, new() { Timeout = 20_000, PollingInterval = 50 });

            // Driven by postMessage: typed text reaches the producer.
            producer.ClearInput();
            await page.EvaluateAsync("() => window.send({ command: 'typeText', text: 'a' })");
            await producer.WaitForInputAsync(e => e.Count >= 2, "'a' typed by the dashboard");
            Assert.Equal([Down(30), Up(30)], producer.Input);
            Assert.Equal(1, await HubConnectionsAsync(frame));

            // Deleted: the frame says so, and the parent hears it, within 2 s.
            var clock = Stopwatch.StartNew();
            await api.DeleteAsync("vm");
            await frame.WaitForFunctionAsync(
                "() => window.webConsole.state === 'removed' && window.webConsole.gone === 'console removed' && !document.getElementById('gone-overlay').hidden",
                null, new() { Timeout = 10_000, PollingInterval = 25 });
            await page.WaitForFunctionAsync(
                "() => window.events.some(e => e.event === 'removed' && e.console === 'vm' && e.reason === 'console removed')",
                null, new() { Timeout = 10_000, PollingInterval = 25 });
            TimeSpan seen = clock.Elapsed;
            output.WriteLine($"removed state in the frame and the parent {seen.TotalMilliseconds:F0} ms after DELETE");
            Assert.True(seen <= s_seenWithin, $"the removal took {seen.TotalMilliseconds:F0} ms to show");
            Assert.Equal("console removed", await frame.InnerTextAsync("#status"));
            Assert.Equal("console removed", await frame.InnerTextAsync("#gone-title"));
            Assert.Contains(await page.EvaluateAsync<string[]>("() => window.events.filter(e => e.console === 'vm').map(e => e.event)"), e => e == "disconnected");

            // And it stays so: no reconnect, no rejoin, input goes nowhere.
            await Task.Delay(3000);
            Assert.Equal("removed", await frame.EvaluateAsync<string>("() => window.webConsole.state"));
            Assert.Equal(1, await HubConnectionsAsync(frame));
            Assert.Equal("console removed", await frame.InnerTextAsync("#status"));
            await Task.Delay(300); // the fade of the last picture
            string removedShot = Path.Combine(RepoPaths.Screenshots, "dashboard-console-removed.png");
            await page.ScreenshotAsync(new() { Path = removedShot });
            output.WriteLine($"screenshot: {removedShot}");

            // Reloaded, the frame finds no such console (its ticket went with the first load) and says so.
            await frame.EvaluateAsync("() => location.reload()");
            await page.WaitForFunctionAsync(
                "() => window.events.some(e => e.event === 'removed' && e.console === 'vm' && e.reason === \"unknown console 'vm'\")",
                null, new() { Timeout = 20_000, PollingInterval = 50 });
            frame = await ConsoleFrameAsync(page);
            await frame.WaitForFunctionAsync("() => window.webConsole?.state === 'unknown'", null, new() { Timeout = 20_000, PollingInterval = 50 });
            Assert.Equal("unknown console 'vm'", await frame.InnerTextAsync("#status"));
            Assert.Equal("unknown console 'vm'", await frame.InnerTextAsync("#gone-title"));
            await Task.Delay(1000);
            Assert.Equal(0, await HubConnectionsAsync(frame));
            string unknownShot = Path.Combine(RepoPaths.Screenshots, "dashboard-console-unknown.png");
            await page.ScreenshotAsync(new() { Path = unknownShot });
            output.WriteLine($"screenshot: {unknownShot}");
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    [Fact]
    public async Task SourceSwitch_TheSamePageShowsTheNewSourcesSizeAndPixels()
    {
        const int otherWidth = 800, otherHeight = 500;
        using var first = new TempRegion("switch-a");
        using var second = new TempRegion("switch-b");
        using var producerA = new TestProducer(first.Path, Scenes.Width, Scenes.Height);
        using var producerB = new TestProducer(second.Path, otherWidth, otherHeight);
        TestImage a = Scenes.Pattern(photo: false);
        TestImage b = Scenes.Restarted(otherWidth, otherHeight);
        producerA.Publish(a);
        producerB.Publish(b);
        await using var server = await WebConsoleServer.StartAsync([], output);
        using var api = new ConsoleApi(server);
        await api.PutAsync("sw", "region:" + first.Path, HttpStatusCode.Created);

        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/sw?scale=off"), output, 1000, 640);
        await page.WaitForLiveAsync();
        await page.WaitForAsync("c => c.width === 640 && c.height === 360");
        await Eventually.HoldsAsync(async () =>
            PixelAssert.ExactOutside(a, await page.ReadPixelsAsync(new PixelRect(0, 0, Scenes.Width, Scenes.Height))), s_pictureTimeout);
        await page.Page.EvaluateAsync("() => { window.samePage = true; }");

        await api.PutAsync("sw", "region:" + second.Path, HttpStatusCode.OK);
        await page.WaitForAsync($"c => c.width === {otherWidth} && c.height === {otherHeight} && c.state === 'connected' && c.sourceState === 'ready'");
        await Eventually.HoldsAsync(async () =>
            PixelAssert.ExactOutside(b, await page.ReadPixelsAsync(new PixelRect(0, 0, otherWidth, otherHeight))), s_pictureTimeout);
        Assert.True(await page.Page.EvaluateAsync<bool>("() => window.samePage === true"), "the page was reloaded");
        Assert.Equal(1, await HubConnectionsAsync(page.Page.MainFrame));
        Assert.Equal($"{otherWidth} × {otherHeight}", await page.Page.InnerTextAsync("#console-size"));
        Assert.Equal("connected", await page.Page.InnerTextAsync("#status"));
        double[] box = await page.Page.EvaluateAsync<double[]>("() => { const r = document.getElementById('canvas').getBoundingClientRect(); return [r.width, r.height]; }");
        Assert.Equal([otherWidth, otherHeight], box);
        output.WriteLine($"screenshot: {await page.ScreenshotAsync("console-source-switched")}");
    }

    [Fact]
    public async Task ListPage_ACreatedConsoleGetsACardAndThumbnail_ADeletedOneGoes_WithinTwoSeconds()
    {
        using var region = new TempRegion("listed-live");
        using var producer = new TestProducer(region.Path, Scenes.Width, Scenes.Height);
        producer.Publish(Scenes.Restarted());
        await using var server = await WebConsoleServer.StartAsync([ServerConsole.Demo()], output);
        using var api = new ConsoleApi(server);
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/"), output, 1100, 700);
        int changeRequests = 0;
        page.Page.Request += (_, r) =>
        {
            if (r.Url.Contains("/api/consoles/changes?after=", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref changeRequests);
            }
        };
        await page.Page.WaitForSelectorAsync(".card[data-id='demo'][data-state='ready'] .thumb img:not([hidden])");
        await page.Page.WaitForFunctionAsync("() => window.consoleList?.version !== null");

        var clock = Stopwatch.StartNew();
        await api.PutAsync("fresh", "region:" + region.Path, HttpStatusCode.Created);
        await page.Page.WaitForFunctionAsync(
            "() => { const img = document.querySelector(\".card[data-id='fresh'] .thumb img\"); return img && !img.hidden && img.naturalWidth > 0; }",
            null, new() { Timeout = 10_000, PollingInterval = 25 });
        TimeSpan appeared = clock.Elapsed;
        output.WriteLine($"card and thumbnail {appeared.TotalMilliseconds:F0} ms after PUT");
        Assert.True(appeared <= s_seenWithin, $"the new console's card took {appeared.TotalMilliseconds:F0} ms");
        Assert.Equal(server.Url("/console/fresh").ToString(), await page.Page.GetAttributeAsync(".card[data-id='fresh'] a.name", "href"));
        Assert.Equal(320, await page.Page.EvaluateAsync<int>("() => document.querySelector(\".card[data-id='fresh'] .thumb img\").naturalWidth"));
        Assert.Equal(["demo", "fresh"], await page.Page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('.card')].map(c => c.dataset.id)"));
        Assert.Matches("^2 consoles", await page.Page.InnerTextAsync("#summary"));
        await Task.Delay(300);
        output.WriteLine($"screenshot: {await page.ScreenshotAsync("index-console-added")}");

        clock.Restart();
        await api.DeleteAsync("fresh");
        await page.Page.WaitForSelectorAsync(".card[data-id='fresh']", new() { State = WaitForSelectorState.Detached, Timeout = 10_000 });
        TimeSpan gone = clock.Elapsed;
        output.WriteLine($"card gone {gone.TotalMilliseconds:F0} ms after DELETE");
        Assert.True(gone <= s_seenWithin, $"the deleted console's card stayed {gone.TotalMilliseconds:F0} ms");
        Assert.Equal(["demo"], await page.Page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('.card')].map(c => c.dataset.id)"));
        // Followed through the long-poll, not found by a periodic poll.
        Assert.True(Volatile.Read(ref changeRequests) >= 2, $"the page asked /api/consoles/changes {changeRequests} times");
    }

    [Fact]
    public async Task SampleDashboard_WithoutAList_FramesTheLiveSet()
    {
        using var region = new TempRegion("sample-live");
        using var producer = new TestProducer(region.Path, Scenes.Width, Scenes.Height);
        producer.Publish(Scenes.Pattern());
        await using var server = await WebConsoleServer.StartAsync([ServerConsole.Demo()], output);
        using var api = new ConsoleApi(server);
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/samples/dashboard.html"), output, 1400, 800);
        await page.Page.WaitForFunctionAsync("() => window.dashboard.consoles.join() === 'demo'");

        var clock = Stopwatch.StartNew();
        await api.PutAsync("added", "region:" + region.Path, HttpStatusCode.Created);
        await page.Page.WaitForFunctionAsync("() => window.dashboard.consoles.join() === 'added,demo'", null, new() { Timeout = 10_000, PollingInterval = 25 });
        Assert.True(clock.Elapsed <= s_seenWithin, $"the new console's frame came after {clock.Elapsed.TotalMilliseconds:F0} ms");
        await page.Page.WaitForFunctionAsync(
            "() => window.dashboard.events.some(e => e.console === 'added' && e.event === 'resized' && e.width === 640)", null, new() { Timeout = 20_000 });
        Assert.Equal(["added", "demo"], await page.Page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('.console')].map(s => s.dataset.id)"));
        await Task.Delay(500);
        output.WriteLine($"screenshot: {await page.ScreenshotAsync("sample-dashboard-live")}");

        clock.Restart();
        await api.DeleteAsync("added");
        await page.Page.WaitForFunctionAsync("() => window.dashboard.consoles.join() === 'demo'", null, new() { Timeout = 10_000, PollingInterval = 25 });
        Assert.True(clock.Elapsed <= s_seenWithin, $"the deleted console's frame stayed {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(1, await page.Page.Locator("iframe").CountAsync());
    }

    private static async Task<IFrame> ConsoleFrameAsync(IPage page)
    {
        for (int i = 0; i < 200; i++)
        {
            IFrame? frame = page.Frames.FirstOrDefault(f => f.Url.Contains("/console/vm", StringComparison.Ordinal));
            if (frame is not null)
            {
                return frame;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the console frame never loaded");
    }
}
