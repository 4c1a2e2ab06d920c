using Microsoft.Playwright;
using Xunit.Abstractions;

namespace WebConsole.E2E;

/// <summary>
/// Access control in Chromium: each refusal shows "access denied: reason" on the page (no endless
/// reconnects), a foreign origin cannot open the hub, and an allowed dashboard embeds a live console.
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed class SecurityTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly SecurityDashboard _dashboard = new();
    private WebConsoleServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await WebConsoleServer.StartAsync(
            [ServerConsole.Demo(), ServerConsole.Region("other", "/nonexistent/e2e-security-other.fb")], output,
            arguments: SecurityFixture.Arguments(SecurityDashboard.Origin(_dashboard.Allowed)));

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dashboard.Dispose();
    }

    private async Task<ConsolePage> OpenConsoleAsync(string? ticket) =>
        await ConsolePage.OpenAsync(browser.Browser, _server.Url("/console/demo" + (ticket is null ? "" : "#ticket=" + ticket)), output, 900, 600);

    private static async Task AssertDeniedAsync(ConsolePage page, string reason, string screenshot)
    {
        await page.WaitForAsync("c => c.state === 'denied'");
        Assert.Equal("access denied: " + reason, await page.GetAsync<string>("status"));
        Assert.Equal("access denied: " + reason, await page.Page.InnerTextAsync("#status"));
        // No endless reconnects: it stays refused.
        await Task.Delay(1500);
        Assert.Equal("denied", await page.GetAsync<string>("state"));
        await page.ScreenshotAsync(screenshot);
    }

    [Fact]
    public async Task Page_WithoutATicket_ShowsAccessDenied()
    {
        await using ConsolePage page = await OpenConsoleAsync(ticket: null);
        await AssertDeniedAsync(page, "ticket required", "security-no-ticket");
    }

    [Fact]
    public async Task IndexPage_WithAccessControlOn_SaysTheListNeedsAnApiKey()
    {
        await using ConsolePage page = await ConsolePage.OpenAsync(browser.Browser, _server.Url("/"), output, 900, 600);
        await page.Page.WaitForFunctionAsync("() => document.getElementById('list-status').textContent.includes('needs an API key')",
            null, new() { Timeout = 15_000 });
        Assert.Equal(0, await page.Page.Locator(".card").CountAsync());
    }

    [Fact]
    public async Task Page_WithAnExpiredTicket_ShowsAccessDenied()
    {
        string ticket = SecurityFixture.Mint("demo", "view", DateTimeOffset.UtcNow.AddMinutes(-1));
        await using ConsolePage page = await OpenConsoleAsync(ticket);
        await AssertDeniedAsync(page, "ticket expired", "security-expired");
    }

    [Fact]
    public async Task Page_WithATicketForAnotherConsole_ShowsAccessDenied()
    {
        string ticket = await SecurityFixture.AskAsync(_server, "other");
        await using ConsolePage page = await OpenConsoleAsync(ticket);
        await AssertDeniedAsync(page, "ticket is for another console", "security-wrong-console");
    }

    [Fact]
    public async Task Page_WithATamperedTicket_ShowsAccessDenied()
    {
        string ticket = SecurityFixture.Tamper(await SecurityFixture.AskAsync(_server, "demo", "view"));
        await using ConsolePage page = await OpenConsoleAsync(ticket);
        await AssertDeniedAsync(page, "ticket signature invalid", "security-tampered");
    }

    [Fact]
    public async Task SingleUseTicket_WorksOnce_ThenShowsAlreadyUsed_UntilTheParentSendsANewOne()
    {
        string ticket = await SecurityFixture.AskAsync(_server, "demo", singleUse: true);
        await using ConsolePage first = await OpenConsoleAsync(ticket);
        await first.WaitForLiveAsync();
        // The ticket left the address bar as soon as the page read it.
        Assert.DoesNotContain("ticket", await first.Page.EvaluateAsync<string>("() => location.href"), StringComparison.Ordinal);

        await using ConsolePage second = await OpenConsoleAsync(ticket);
        await AssertDeniedAsync(second, "ticket already used", "security-reused");

        // A new ticket in the fragment (what an embedding page sets) connects without a reload.
        string fresh = await SecurityFixture.AskAsync(_server, "demo", singleUse: true);
        await second.Page.EvaluateAsync("t => { location.hash = 'ticket=' + t; }", fresh);
        await second.WaitForLiveAsync();
    }

    [Fact]
    public async Task ForeignOrigin_CannotOpenTheHub_TheServersOwnOriginCan()
    {
        string ticket = await SecurityFixture.AskAsync(_server, "demo", singleUse: false);
        int port = _server.BaseAddress.Port;
        const string Probe = """
            async ([url]) => await new Promise((resolve) => {
                const socket = new WebSocket(url);
                socket.onopen = () => { socket.close(); resolve('open'); };
                socket.onerror = () => resolve('refused');
            })
            """;
        string hub = $"ws://127.0.0.1:{port}/hubs/console?access_token={Uri.EscapeDataString(ticket)}";

        // http://localhost:PORT and http://127.0.0.1:PORT are different origins.
        await using ConsolePage foreign = await ConsolePage.OpenAsync(browser.Browser, new Uri($"http://localhost:{port}/healthz"), output);
        Assert.Equal("refused", await foreign.Page.EvaluateAsync<string>(Probe, new object[] { hub }));
        await Eventually.HoldsAsync(
            () =>
            {
                Assert.Contains(_server.Output, line => line.Contains($"from origin http://localhost:{port}", StringComparison.Ordinal));
                return Task.CompletedTask;
            },
            TimeSpan.FromSeconds(5));

        await using ConsolePage own = await ConsolePage.OpenAsync(browser.Browser, _server.Url("/healthz"), output);
        Assert.Equal("open", await own.Page.EvaluateAsync<string>(Probe, new object[] { hub }));
    }

    [Fact]
    public async Task AllowedDashboard_EmbedsALiveConsole_AnotherSiteCannotFrameIt()
    {
        string ticket = await SecurityFixture.AskAsync(_server, "demo", "control");
        string console = _server.Url("/console/demo").ToString() + "#ticket=" + ticket;
        IBrowserContext context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1000, Height = 660 } });
        try
        {
            IPage page = await context.NewPageAsync();
            page.Console += (_, m) => output.WriteLine($"[dashboard console.{m.Type}] {m.Text}");
            await page.GotoAsync(SecurityDashboard.Page(_dashboard.Allowed, console).ToString());
            IFrame frame = await WaitForConsoleFrameAsync(page);
            await frame.WaitForFunctionAsync(
                "() => window.webConsole && window.webConsole.state === 'connected' && window.webConsole.framesPresented > 0",
                null, new() { Timeout = 20_000, PollingInterval = 50 });
            // The demo's first frame may still be blank: wait until the embedded canvas shows a picture.
            await frame.WaitForFunctionAsync(
                """
                () => {
                    const c = document.getElementById('canvas');
                    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                    const colours = new Set();
                    for (let i = 0; i < d.length && colours.size < 16; i += 4 * 97) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
                    return colours.size >= 8;
                }
                """,
                null, new() { Timeout = 20_000, PollingInterval = 200 });
            double lit = await frame.EvaluateAsync<double>(
                """
                () => {
                    const c = document.getElementById('canvas');
                    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                    let drawn = 0;
                    for (let i = 0; i < d.length; i += 4) if (d[i + 3] === 255) drawn++;
                    return drawn / (d.length / 4);
                }
                """);
            Directory.CreateDirectory(RepoPaths.Screenshots);
            await page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Screenshots, "security-dashboard.png") });
            Assert.True(lit > 0.99, $"only {lit:P0} of the embedded canvas is drawn");

            // frame-ancestors lists only the dashboard: another site's frame never shows the console.
            string another = _server.Url("/console/demo").ToString() + "#ticket=" + await SecurityFixture.AskAsync(_server, "demo");
            IPage stranger = await context.NewPageAsync();
            await stranger.GotoAsync(SecurityDashboard.Page(_dashboard.Stranger, another).ToString());
            await Task.Delay(2000);
            foreach (IFrame f in stranger.Frames.Where(f => f != stranger.MainFrame))
            {
                bool hasConsole;
                try
                {
                    hasConsole = await f.EvaluateAsync<bool>("() => typeof window.webConsole !== 'undefined'");
                }
                catch (PlaywrightException)
                {
                    hasConsole = false; // the blocked frame holds an error page
                }
                Assert.False(hasConsole, "a site outside Security:FrameAncestors framed the console");
            }
            await stranger.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Screenshots, "security-stranger.png") });
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private static async Task<IFrame> WaitForConsoleFrameAsync(IPage page)
    {
        for (int i = 0; i < 200; i++)
        {
            IFrame? frame = page.Frames.FirstOrDefault(f => f.Url.Contains("/console/demo", StringComparison.Ordinal));
            if (frame is not null)
            {
                return frame;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the console frame never loaded");
    }
}
