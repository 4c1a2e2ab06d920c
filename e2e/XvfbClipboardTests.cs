using System.Diagnostics;
using WebConsole.Testing;
using Xunit.Abstractions;

namespace WebConsole.E2E;

/// <summary>
/// The clipboard between Chromium (clipboard permissions granted) and a real Xvfb, with xclip and
/// xterm as the guest's applications: a paste in the page reaches the X selection before the paste
/// key reaches the application; what an X client copies appears in the page's panel and the
/// browser's clipboard; view-only and ticket restrictions are enforced by the server.
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed class XvfbClipboardTests(BrowserFixture browser, ITestOutputHelper output)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(20);
    private static readonly string[] s_clipboard = ["clipboard-read", "clipboard-write"];

    private async Task<(WebConsoleServer Server, ConsolePage Page)> OpenAsync(Xvfb xvfb, string query = "scale=off", IEnumerable<string>? arguments = null,
        Func<WebConsoleServer, Task<string>>? fragment = null)
    {
        WebConsoleServer server = await WebConsoleServer.StartAsync([new ServerConsole("x", $"x11:{xvfb.Display}")], output, arguments: arguments);
        string hash = fragment is null ? "" : "#ticket=" + await fragment(server);
        ConsolePage page = await ConsolePage.OpenAsync(browser.Browser, server.Url($"/console/x?{query}{hash}"), output, permissions: s_clipboard);
        await page.WaitForLiveAsync();
        return (server, page);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < s_timeout, what);
            await Task.Delay(50);
        }
    }

    private static string Pasted(Xvfb xvfb) => System.Text.Encoding.UTF8.GetString(XClip.Paste(xvfb));

    /// <summary>What xclip pastes, or null while the selection has no owner.</summary>
    private static string? TryPasted(Xvfb xvfb)
    {
        try
        {
            return Pasted(xvfb);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static async Task WriteBrowserClipboardAsync(ConsolePage page, string text) =>
        await page.Page.EvaluateAsync("t => navigator.clipboard.writeText(t)", text);

    [Fact]
    public async Task PasteInThePage_SetsTheXClipboard_BeforeThePasteKeyReachesXterm()
    {
        using var xvfb = new Xvfb("640x480x24");
        string result = Path.Combine(xvfb.Directory, "pasted");
        XClip.Copy(xvfb, "OLD TEXT"); // what the guest would paste if the key came first
        // An xterm whose Ctrl+V pastes CLIPBOARD (its default pastes PRIMARY on Shift+Insert).
        xvfb.Spawn("xterm", "-geometry", "80x24+0+0", "-xrm", "XTerm*VT100.translations: #override Ctrl <Key>v: insert-selection(CLIPBOARD)",
            "-e", "sh", "-c", $"read line; printf %s \"$line\" > {result}");
        var (server, page) = await OpenAsync(xvfb);
        await using (server)
        await using (page)
        {
            await page.WaitForAsync("c => c.clipboard.toGuest && c.clipboard.fromGuest");
            await page.Page.Mouse.MoveAsync(100, 100); // no window manager: X focus follows the pointer
            await Task.Delay(300);

            const string Text = "pasted from the browser: grüße 日本";
            await WriteBrowserClipboardAsync(page, Text);
            await page.Page.Locator("#canvas").FocusAsync();
            var time = Stopwatch.StartNew();
            await page.Page.Keyboard.PressAsync("Control+KeyV");
            await page.WaitForAsync("c => c.clipboard.pastes === 1 && !c.clipboard.pasting");
            output.WriteLine($"paste in the page to the guest's clipboard: {time.ElapsedMilliseconds} ms");
            Assert.Equal(Text, Pasted(xvfb));
            await page.Page.Keyboard.PressAsync("Enter");
            await WaitUntilAsync(() => File.Exists(result) && new FileInfo(result).Length > 0, "the xterm never wrote the pasted line");
            await Task.Delay(200);
            // xterm pasted what the page had just set, not the old text: the key came after the clipboard.
            Assert.Equal(Text, await File.ReadAllTextAsync(result));
        }
    }

    [Fact]
    public async Task PasteInThePage_200KB_ReachesTheXClipboard()
    {
        using var xvfb = new Xvfb("320x240x24");
        var (server, page) = await OpenAsync(xvfb);
        await using (server)
        await using (page)
        {
            await page.WaitForAsync("c => c.clipboard.toGuest");
            string large = LargeText(200 * 1024);
            await WriteBrowserClipboardAsync(page, large);
            await page.Page.Locator("#canvas").FocusAsync();
            var time = Stopwatch.StartNew();
            await page.Page.Keyboard.PressAsync("Control+KeyV");
            await page.WaitForAsync("c => c.clipboard.pastes === 1");
            long set = time.ElapsedMilliseconds;
            Assert.Equal(large, Pasted(xvfb));
            output.WriteLine($"200 KB pasted in the page: in the guest's clipboard after {set} ms, read back by xclip after {time.ElapsedMilliseconds} ms");
        }
    }

    [Theory]
    [InlineData(30)]
    [InlineData(200 * 1024)]
    public async Task XclipCopy_ShowsInThePanel_AndOnTheBrowserClipboard(int bytes)
    {
        using var xvfb = new Xvfb("320x240x24");
        var (server, page) = await OpenAsync(xvfb);
        await using (server)
        await using (page)
        {
            await page.WaitForAsync("c => c.clipboard.fromGuest");
            string text = bytes < 100 ? "copied in X: ünïcødé ✓ 日本 😀" : LargeText(bytes);
            var time = Stopwatch.StartNew();
            XClip.Copy(xvfb, text);
            await page.WaitForAsync("(c, t) => c.clipboard.guestText === t && c.clipboard.written === 1", arg: text);
            output.WriteLine($"{bytes} bytes copied with xclip: in the page's clipboard after {time.ElapsedMilliseconds} ms");
            Assert.Equal(text, await page.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
            await page.Page.ClickAsync("#btn-clip");
            Assert.Equal(text, await page.Page.InputValueAsync("#clip-text"));
            if (bytes < 100)
            {
                string shot = await page.ScreenshotAsync("clipboard-panel");
                output.WriteLine($"screenshot: {shot}");
            }
        }
    }

    [Fact]
    public async Task PanelSend_SetsTheXClipboard()
    {
        using var xvfb = new Xvfb("320x240x24");
        var (server, page) = await OpenAsync(xvfb);
        await using (server)
        await using (page)
        {
            await page.WaitForAsync("c => c.clipboard.toGuest");
            await page.Page.ClickAsync("#btn-clip");
            await page.Page.FillAsync("#clip-text", "sent from the panel ✓");
            await page.Page.ClickAsync("#clip-send");
            await WaitUntilAsync(() => TryPasted(xvfb) == "sent from the panel ✓", "xclip never read the panel's text");
        }
    }

    [Fact]
    public async Task ViewOnly_HasNoClipboard_TheServerSendsNothing()
    {
        using var xvfb = new Xvfb("320x240x24");
        var (server, page) = await OpenAsync(xvfb, "scale=off&viewOnly=1", SecurityFixture.Arguments("https://dash.example.com"),
            s => SecurityFixture.AskAsync(s, "x", "view"));
        await using (server)
        await using (page)
        {
            await page.WaitForAsync("c => c.clipboard.reason !== null && c.clipboard.reason.includes('view only')");
            XClip.Copy(xvfb, "the guest's secret");
            await Task.Delay(1000);
            Assert.Null(await page.GetAsync<string?>("clipboard.guestText"));
            Assert.False(await page.GetAsync<bool>("clipboard.toGuest"));
        }
    }

    [Fact]
    public async Task TicketFromGuestOnly_PasteDoesNotReachTheGuest()
    {
        using var xvfb = new Xvfb("320x240x24");
        XClip.Copy(xvfb, "guest text");
        var (server, page) = await OpenAsync(xvfb, "scale=off", SecurityFixture.Arguments("https://dash.example.com"),
            s => AskWithClipboardAsync(s, "from-guest"));
        await using (server)
        await using (page)
        {
            await page.WaitForAsync("c => c.clipboard.fromGuest && !c.clipboard.toGuest && c.clipboard.guestText === 'guest text'");
            await WriteBrowserClipboardAsync(page, "not allowed");
            await page.Page.Locator("#canvas").FocusAsync();
            await page.Page.Keyboard.PressAsync("Control+KeyV");
            await Task.Delay(500);
            Assert.Equal("guest text", Pasted(xvfb));
            Assert.Equal(0, await page.GetAsync<int>("clipboard.pastes"));
        }
    }

    [Fact]
    public async Task ConsoleWithoutClipboard_PanelPointsToTypeText()
    {
        await using var server = await WebConsoleServer.StartAsync([ServerConsole.Demo()], output);
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/demo"), output, permissions: s_clipboard);
        await page.WaitForLiveAsync();
        await page.WaitForAsync("c => c.clipboard.reason !== null && c.clipboard.reason.includes('use Type text')");
        Assert.False(await page.GetAsync<bool>("clipboard.toGuest"));
        await page.Page.ClickAsync("#btn-clip");
        Assert.Contains("no guest clipboard; use Type text", await page.Page.TextContentAsync("#clip-status"), StringComparison.Ordinal);
        Assert.True(await page.Page.IsDisabledAsync("#clip-send"));
        output.WriteLine($"screenshot: {await page.ScreenshotAsync("clipboard-panel-none")}");
    }

    [Fact]
    public async Task EmbeddingParent_SetsAndGetsTheClipboard_AndHearsGuestCopies()
    {
        using var xvfb = new Xvfb("320x240x24");
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }
        await using var server = await WebConsoleServer.StartAsync([new ServerConsole("x", $"x11:{xvfb.Display}")], output, port,
            [$"--Security:AllowedOrigins:0=http://localhost:{port}", $"--Security:FrameAncestors:0=http://localhost:{port}"]);
        var dashboard = new Uri($"http://localhost:{port}/samples/dashboard.html?base=http://127.0.0.1:{port}&consoles=x");
        await using var page = await ConsolePage.OpenAsync(browser.Browser, dashboard, output, 1000, 700, permissions: s_clipboard);
        await page.Page.WaitForFunctionAsync("() => window.dashboard.events.some(e => e.console === 'x' && e.event === 'clipboardstate' && e.toGuest && e.fromGuest)");

        await page.Page.EvaluateAsync("() => window.dashboard.send('x', { command: 'setClipboard', text: 'from the parent ✓' })");
        await page.Page.WaitForFunctionAsync("() => window.dashboard.events.some(e => e.event === 'clipboardset' && e.bytes === 19)");
        Assert.Equal("from the parent ✓", Pasted(xvfb));

        XClip.Copy(xvfb, "copied in the guest");
        await page.Page.WaitForFunctionAsync("() => window.dashboard.events.some(e => e.event === 'clipboard' && e.text === 'copied in the guest' && !e.initial)");
        await page.Page.EvaluateAsync("() => window.dashboard.send('x', { command: 'getClipboard' })");
        await page.Page.WaitForFunctionAsync("() => window.dashboard.events.some(e => e.event === 'clipboard' && e.requested && e.text === 'copied in the guest')");
    }

    /// <summary>A hostile client on the same server: its own hub connection from a page, sending what the page never would.</summary>
    [Fact]
    public async Task HostileClipboardMessages_AreRefused_TheServerAndOtherConsolesCarryOn()
    {
        using var xvfb = new Xvfb("320x240x24");
        await using var server = await WebConsoleServer.StartAsync([new ServerConsole("x", $"x11:{xvfb.Display}"), ServerConsole.Demo()], output);
        await using var demo = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/demo"), output);
        await demo.WaitForLiveAsync();
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/x"), output, permissions: s_clipboard);
        await page.WaitForLiveAsync();
        await page.WaitForAsync("c => c.clipboard.toGuest");

        string[] results = await page.Page.EvaluateAsync<string[]>("""
            async () => {
                const hub = new signalR.HubConnectionBuilder().withUrl('/hubs/console')
                    .withHubProtocol(new signalR.protocols.msgpack.MessagePackHubProtocol()).build();
                await hub.start();
                await hub.invoke('Join', 'x');
                const results = [];
                const attempt = async (call) => { try { await call(); results.push('ok'); } catch (e) { results.push(String(e.message)); } };
                await attempt(() => hub.invoke('SetClipboard', 0, 2 * 1024 * 1024, new Uint8Array(16)));
                await attempt(() => hub.invoke('SetClipboard', 0, 4, new Uint8Array([0x61, 0xC3, 0x28, 0xFF])));
                let refused = 0;
                for (let i = 0; i < 60; i++) {
                    try { await hub.invoke('SetClipboard', 0, 3, new Uint8Array([0x61, 0x62, 0x63])); } catch { refused++; }
                }
                results.push(String(refused));
                // Larger than one hub message may be (Security:MaxMessageBytes): that connection is closed.
                await attempt(() => hub.invoke('SetClipboard', 0, 100000, new Uint8Array(100000)));
                await hub.stop().catch(() => {});
                return results;
            }
            """);
        output.WriteLine(string.Join(" | ", results));
        Assert.Contains("over the limit of 1048576 bytes", results[0], StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8", results[1], StringComparison.Ordinal);
        Assert.InRange(int.Parse(results[2], System.Globalization.CultureInfo.InvariantCulture), 40, 60);
        Assert.NotEqual("ok", results[3]);

        // The page's own connection, the other console and the server are unaffected.
        long frames = await demo.FramesPresentedAsync();
        await WriteBrowserClipboardAsync(page, "still works");
        await page.Page.Locator("#canvas").FocusAsync();
        await page.Page.Keyboard.PressAsync("Control+KeyV");
        await page.WaitForAsync("c => c.clipboard.pastes === 1");
        Assert.Equal("still works", Pasted(xvfb));
        await demo.WaitForAsync("(c, f) => c.framesPresented > f && c.state === 'connected'", arg: frames);
        Assert.Equal("connected", await page.GetAsync<string>("state"));
    }

    private static async Task<string> AskWithClipboardAsync(WebConsoleServer server, string clipboard)
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        client.DefaultRequestHeaders.Add("X-Api-Key", SecurityFixture.ApiKey);
        using HttpResponseMessage response = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(client,
            "api/consoles/x/tickets", new { permission = "control", singleUse = true, clipboard });
        response.EnsureSuccessStatusCode();
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("ticket").GetString()!;
    }

    /// <summary>A text of <paramref name="bytes"/> UTF-8 bytes with non-ASCII characters all through it, seeded.</summary>
    private static string LargeText(int bytes)
    {
        var random = new Random(21);
        var text = new System.Text.StringBuilder(bytes);
        int size = 0;
        string[] pieces = ["é", "ß", "€", "日本", "😀", "line\n", "abc ", "xyz\t"];
        while (size < bytes - 8)
        {
            string piece = pieces[random.Next(pieces.Length)];
            text.Append(piece);
            size += System.Text.Encoding.UTF8.GetByteCount(piece);
        }
        return text.Append('.', bytes - size).ToString();
    }
}
