using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Playwright;
using WebConsole.Region;
using Xunit.Abstractions;
using static WebConsole.E2E.InputScreen;

namespace WebConsole.E2E;

/// <summary>
/// The sample dashboard (wwwroot/samples/dashboard.html) embedding two consoles: the parent page comes
/// from http://localhost:PORT, the consoles from http://127.0.0.1:PORT, so they are different origins.
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed class EmbedTests(BrowserFixture browser, ITestOutputHelper output)
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record Consoles(TempRegion RegionA, TempRegion RegionB, TestProducer A, TestProducer B) : IDisposable
    {
        public void Dispose()
        {
            A.Dispose();
            B.Dispose();
            RegionA.Dispose();
            RegionB.Dispose();
        }
    }

    private static Consoles Producers()
    {
        var ra = new TempRegion("embed-a");
        var rb = new TempRegion("embed-b");
        var a = new TestProducer(ra.Path, Scenes.Width, Scenes.Height);
        var b = new TestProducer(rb.Path, Scenes.Width, Scenes.Height);
        a.Publish(Scenes.Pattern());
        b.Publish(Scenes.Pattern());
        return new Consoles(ra, rb, a, b);
    }

    private static IFrame Frame(ConsolePage page, string id) => page.Page.Frames.First(f => f.Url.Contains($"/console/{id}", StringComparison.Ordinal));

    private static async Task<JsonElement[]> EventsAsync(ConsolePage page) =>
        JsonSerializer.Deserialize<JsonElement[]>(await page.Page.EvaluateAsync<string>("() => JSON.stringify(window.dashboard.events)"))!;

    private static async Task SendAsync(ConsolePage page, string id, string commandJson) =>
        await page.Page.EvaluateAsync($"() => window.dashboard.send('{id}', {commandJson})");

    [Fact]
    public async Task AllowedParent_GetsEvents_AndItsCommandsWork()
    {
        using Consoles consoles = Producers();
        int port = FreePort();
        await using var server = await WebConsoleServer.StartAsync(
            [ServerConsole.Region("a", consoles.RegionA.Path), ServerConsole.Region("b", consoles.RegionB.Path)], output, port,
            [$"--Security:AllowedOrigins:0=http://localhost:{port}", $"--Security:FrameAncestors:0=http://localhost:{port}"]);
        var dashboard = new Uri($"http://localhost:{port}/samples/dashboard.html?base=http://127.0.0.1:{port}&consoles=a,b");
        await using var page = await ConsolePage.OpenAsync(browser.Browser, dashboard, output, 1400, 800);

        const string bothConnected = """
            () => ['a', 'b'].every(id => window.dashboard.events.some(e => e.console === id && e.event === 'connected'))
               && ['a', 'b'].every(id => window.dashboard.events.some(e => e.console === id && e.event === 'resized' && e.width === 640 && e.height === 360))
            """;
        await page.Page.WaitForFunctionAsync(bothConnected);
        Assert.All(await EventsAsync(page), e => Assert.Equal(1, e.GetProperty("version").GetInt32()));
        Assert.Equal($"http://localhost:{port}", await Frame(page, "a").EvaluateAsync<string>("() => window.webConsole.embedParent"));
        await Task.Delay(400);
        output.WriteLine($"screenshot: {await page.ScreenshotAsync("embed-dashboard")}");

        // setScale goes to console a only.
        await SendAsync(page, "a", "{ command: 'setScale', scale: 'off' }");
        await Frame(page, "a").WaitForFunctionAsync("() => window.webConsole.scale === 'off'");
        Assert.Equal("fit", await Frame(page, "b").EvaluateAsync<string>("() => window.webConsole.scale"));

        // sendKeys: presses in order, releases in reverse, into console b's region.
        consoles.B.ClearInput();
        await SendAsync(page, "b", "{ command: 'sendKeys', keys: ['ControlLeft', 'KeyC'] }");
        await consoles.B.WaitForInputAsync(e => e.Count >= 4, "Ctrl+C from the parent");
        Assert.Equal([Down(29), Down(46), Up(46), Up(29)], consoles.B.Input);

        // screenshot: a PNG blob of the frame comes back as an event.
        await SendAsync(page, "a", "{ command: 'screenshot' }");
        await page.Page.WaitForFunctionAsync("() => window.dashboard.events.some(e => e.event === 'screenshot' && e.console === 'a' && e.blob.size > 1000 && e.blob.type === 'image/png' && e.width === 640)");

        // A command the console does not know: an error event, nothing else happens.
        await SendAsync(page, "a", "{ command: 'selfDestruct' }");
        await page.Page.WaitForFunctionAsync("() => window.dashboard.events.some(e => e.event === 'error' && e.command === 'selfDestruct')");

        // disconnected when the server goes away.
        await server.StopAsync();
        await page.Page.WaitForFunctionAsync("() => ['a', 'b'].every(id => window.dashboard.events.some(e => e.console === id && e.event === 'disconnected'))");
    }

    [Fact]
    public async Task ForeignParent_GetsNoEvents_AndItsCommandsAreIgnored()
    {
        using Consoles consoles = Producers();
        int port = FreePort();
        await using var server = await WebConsoleServer.StartAsync(
            [ServerConsole.Region("a", consoles.RegionA.Path), ServerConsole.Region("b", consoles.RegionB.Path)], output, port,
            // The parent may frame the console (frame-ancestors) but is not an allowed origin: only the
            // postMessage allowlist stands between it and the console.
            ["--Security:AllowedOrigins:0=https://dashboard.example", $"--Security:FrameAncestors:0=http://localhost:{port}"]);
        var dashboard = new Uri($"http://localhost:{port}/samples/dashboard.html?base=http://127.0.0.1:{port}&consoles=a,b");
        await using var page = await ConsolePage.OpenAsync(browser.Browser, dashboard, output, 1400, 800);

        foreach (string id in new[] { "a", "b" })
        {
            await Frame(page, id).WaitForFunctionAsync("() => window.webConsole?.state === 'connected' && window.webConsole.framesPresented > 0");
        }
        consoles.A.ClearInput();
        await SendAsync(page, "a", "{ command: 'setScale', scale: 'off' }");
        await SendAsync(page, "a", "{ command: 'sendKeys', keys: ['KeyA'] }");
        await Task.Delay(1000);
        IFrame a = Frame(page, "a");
        Assert.Equal("fit", await a.EvaluateAsync<string>("() => window.webConsole.scale"));
        Assert.Equal(0, await a.EvaluateAsync<int>("() => window.webConsole.embedCommands"));
        Assert.Null(await a.EvaluateAsync<string?>("() => window.webConsole.embedParent"));
        Assert.Empty(await EventsAsync(page));
        await consoles.A.WaitForInputAsync(_ => true, "nothing");
        Assert.Empty(consoles.A.Input);
    }
}
