using Microsoft.Playwright;
using Xunit.Abstractions;
using static WebConsole.E2E.InputScreen;

namespace WebConsole.E2E;

/// <summary>
/// Embedding with access control on (API key and signing key): the console page, opened with only a
/// ticket, still learns the allowed parent origins, so a dashboard on an allowed origin drives it
/// through postMessage, while another origin that may frame it (frame-ancestors) but is not allowed
/// gets no events and its commands are ignored.
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed class SecurityEmbedTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly SecurityDashboard _dashboard = new();
    private readonly TempRegion _region = new("security-embed");
    private TestProducer _producer = null!;
    private WebConsoleServer _server = null!;

    public async Task InitializeAsync()
    {
        _producer = new TestProducer(_region.Path, Scenes.Width, Scenes.Height);
        _producer.Publish(Scenes.Pattern());
        string allowed = SecurityDashboard.Origin(_dashboard.Allowed);
        _server = await WebConsoleServer.StartAsync([ServerConsole.Region("vm", _region.Path)], output, arguments:
        [
            .. SecurityFixture.Arguments(allowed),
            // The stranger may frame the console, so only the postMessage allowlist keeps it out.
            "--Security:FrameAncestors:1", SecurityDashboard.Origin(_dashboard.Stranger),
        ]);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dashboard.Dispose();
        _producer.Dispose();
        _region.Dispose();
    }

    [Fact]
    public async Task TicketMode_AllowedDashboard_SendsKeysAndGetsEvents_AnotherOriginIsIgnored()
    {
        IBrowserContext context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1000, Height = 660 } });
        try
        {
            // The dashboard on the allowed origin.
            IPage page = await OpenDashboardAsync(context, _dashboard.Allowed);
            await page.WaitForFunctionAsync(
                "() => ['ready', 'connected'].every(name => window.events.some(e => e.event === name && e.console === 'vm'))",
                null, new() { Timeout = 20_000, PollingInterval = 50 });
            IFrame frame = await ConsoleFrameAsync(page);
            Assert.Equal(SecurityDashboard.Origin(_dashboard.Allowed), await frame.EvaluateAsync<string?>("() => window.webConsole.embedParent"));
            Assert.All(await page.EvaluateAsync<string[]>("() => window.events.map(e => e.origin)"),
                origin => Assert.Equal(_server.BaseAddress.GetLeftPart(UriPartial.Authority), origin));
            _producer.ClearInput();
            await page.EvaluateAsync("() => window.send({ command: 'sendKeys', keys: ['KeyA'] })");
            await _producer.WaitForInputAsync(e => e.Count >= 2, "KeyA from the allowed dashboard");
            Assert.Equal([Down(30), Up(30)], _producer.Input);
            await page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Screenshots, "security-embed-allowed.png") });

            // The same console framed by the other origin: it works, but talks to nobody.
            IPage stranger = await OpenDashboardAsync(context, _dashboard.Stranger);
            IFrame strangerFrame = await ConsoleFrameAsync(stranger);
            await strangerFrame.WaitForFunctionAsync(
                "() => window.webConsole && window.webConsole.state === 'connected' && window.webConsole.framesPresented > 0",
                null, new() { Timeout = 20_000, PollingInterval = 50 });
            _producer.ClearInput();
            await stranger.EvaluateAsync("() => window.send({ command: 'sendKeys', keys: ['KeyB'] })");
            await Task.Delay(1000);
            Assert.Null(await strangerFrame.EvaluateAsync<string?>("() => window.webConsole.embedParent"));
            Assert.Equal(0, await strangerFrame.EvaluateAsync<int>("() => window.webConsole.embedCommands"));
            Assert.Equal(0, await stranger.EvaluateAsync<int>("() => window.events.length"));
            await _producer.WaitForInputAsync(_ => true, "nothing");
            Assert.Empty(_producer.Input);
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private async Task<IPage> OpenDashboardAsync(IBrowserContext context, Uri site)
    {
        string console = _server.Url("/console/vm") + "#ticket=" + await SecurityFixture.AskAsync(_server, "vm", "control");
        IPage page = await context.NewPageAsync();
        page.Console += (_, m) => output.WriteLine($"[{site.Port} console.{m.Type}] {m.Text}");
        await page.GotoAsync(SecurityDashboard.Page(site, console).ToString());
        return page;
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
