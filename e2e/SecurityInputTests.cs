using Microsoft.Playwright;
using WebConsole.Region;
using Xunit.Abstractions;

namespace WebConsole.E2E;

/// <summary>
/// Access control with input: a <c>view</c> ticket's keys and clicks never reach the console (the
/// server drops and logs them), a <c>control</c> ticket's do, and a dashboard on an allowed origin
/// embeds a console in an iframe and drives it.
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed class SecurityInputTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private const ushort KeyA = 30, KeyB = 48;
    private readonly SecurityDashboard _dashboard = new();
    private readonly TempRegion _region = new("secinput");
    private TestProducer _producer = null!;
    private WebConsoleServer _server = null!;

    public async Task InitializeAsync()
    {
        _producer = new TestProducer(_region.Path, Scenes.Width, Scenes.Height);
        _producer.Publish(Scenes.Pattern());
        _server = await WebConsoleServer.StartAsync(
            [ServerConsole.Region("vm", _region.Path)], output,
            arguments: SecurityFixture.Arguments(SecurityDashboard.Origin(_dashboard.Allowed)));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _producer.Dispose();
        _region.Dispose();
        _dashboard.Dispose();
    }

    [Fact]
    public async Task ViewTicket_KeysAndClicksNeverReachTheConsole_ControlTicketsDo()
    {
        string view = await SecurityFixture.AskAsync(_server, "vm", "view");
        await using (ConsolePage page = await ConsolePage.OpenAsync(browser.Browser, _server.Url("/console/vm?scale=off#ticket=" + view), output))
        {
            await page.WaitForLiveAsync();
            await page.Page.FocusAsync("#canvas");
            _producer.ClearInput();
            await page.Page.Keyboard.PressAsync("KeyA");
            await page.Page.Mouse.ClickAsync(40, 40);
            await Eventually.HoldsAsync(() =>
            {
                Assert.Contains(_server.Output, line => line.Contains("view-only input", StringComparison.Ordinal));
                return Task.CompletedTask;
            }, TimeSpan.FromSeconds(10));
            await Task.Delay(500);
            List<InputEvent> arrived = await _producer.WaitForInputAsync(_ => true, "a drain");
            Assert.Empty(arrived);
        }

        // The same page and keys with a control ticket: they arrive, so the emptiness above was the refusal.
        string control = await SecurityFixture.AskAsync(_server, "vm", "control");
        await using (ConsolePage page = await ConsolePage.OpenAsync(browser.Browser, _server.Url("/console/vm?scale=off#ticket=" + control), output))
        {
            await page.WaitForLiveAsync();
            await page.Page.FocusAsync("#canvas");
            _producer.ClearInput();
            await page.Page.Keyboard.PressAsync("KeyA");
            List<InputEvent> arrived = await _producer.WaitForInputAsync(e => e.Count >= 2, "KeyA from a control ticket");
            Assert.Equal([InputEvent.Key(KeyA, true), InputEvent.Key(KeyA, false)], arrived.Where(e => e.Type == InputEventType.Key));
        }
    }

    [Fact]
    public async Task AllowedDashboard_EmbedsAConsoleAndDrivesIt()
    {
        string ticket = await SecurityFixture.AskAsync(_server, "vm", "control");
        string console = _server.Url("/console/vm").ToString() + "#ticket=" + ticket;
        IBrowserContext context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1000, Height = 660 } });
        try
        {
            IPage page = await context.NewPageAsync();
            await page.GotoAsync(SecurityDashboard.Page(_dashboard.Allowed, console).ToString());
            IFrame? frame = null;
            for (int i = 0; i < 200 && frame is null; i++)
            {
                frame = page.Frames.FirstOrDefault(f => f.Url.Contains("/console/vm", StringComparison.Ordinal));
                await Task.Delay(frame is null ? 100 : 0);
            }
            Assert.NotNull(frame);
            await frame.WaitForFunctionAsync(
                "() => window.webConsole && window.webConsole.state === 'connected' && window.webConsole.framesPresented > 0",
                null, new() { Timeout = 20_000, PollingInterval = 50 });

            // A person clicks into the embedded console and types.
            _producer.ClearInput();
            await frame.ClickAsync("#canvas");
            await page.Keyboard.PressAsync("KeyB");
            List<InputEvent> arrived = await _producer.WaitForInputAsync(
                e => e.Count(x => x.Type == InputEventType.Key) >= 2, "a click and KeyB from the embedded console");
            Assert.Contains(arrived, e => e.Type == InputEventType.Pointer && (e.Value & InputEvent.ButtonLeft) != 0);
            Assert.Equal([InputEvent.Key(KeyB, true), InputEvent.Key(KeyB, false)], arrived.Where(e => e.Type == InputEventType.Key));
            Directory.CreateDirectory(RepoPaths.Screenshots);
            await page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Screenshots, "security-dashboard-drives.png") });
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
