using System.Diagnostics;
using WebConsole.Testing;
using Xunit.Abstractions;

namespace WebConsole.E2E;

/// <summary>
/// The clipboard between Chromium (clipboard permissions granted) and a real QEMU (the system's 7.2
/// and 10.0 from backports) whose test guest runs wc-vdagent (testing/qemu/vdagent/wc-vdagent.c):
/// what the guest copies appears in the page's Clipboard panel and on the browser's clipboard, a
/// paste in the page and the panel's Send reach the guest's clipboard exactly, and 100 KB cross both
/// ways. One boot per version; every step reuses it.
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed class QemuClipboardTests(BrowserFixture browser, ITestOutputHelper output)
{
    private static readonly TimeSpan s_boot = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan s_ready = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_text = TimeSpan.FromSeconds(30);
    private static readonly string[] s_clipboard = ["clipboard-read", "clipboard-write"];

    [Theory]
    [InlineData("7.2")]
    [InlineData("10.0")]
    public async Task QemuConsole_ClipboardCrossesBothWays_PanelPasteAndSend_And100KB(string version)
    {
        var clock = Stopwatch.StartNew();
        using var vm = new QemuVm(RepoPaths.Root, version == "10.0" ? QemuVersion.Backports10 : QemuVersion.System, "std", clipboard: true);
        using var agent = GuestAgentPort.Connect(vm.AgentPortPath);
        await vm.WaitForShellAsync(s_boot);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: QEMU {version}: the guest's shell is up");
        await using var server = await WebConsoleServer.StartAsync([new ServerConsole("vm", vm.Source)], output);
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/vm?scale=off"), output, permissions: s_clipboard);
        try
        {
            await page.WaitForLiveAsync(s_ready);
            await page.WaitForAsync("c => c.clipboard.toGuest && c.clipboard.fromGuest", s_ready);
            // QEMU reopens the agent's port when WebConsole registers; a copy made before it settles is lost.
            await agent.WaitForAgentSettledAsync(s_ready);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: clipboard both ways on the page ({agent.Connects} agent connects)");

            // Guest -> browser: the page's clipboard, the browser's clipboard, the panel.
            const string Copied = "héllo wörld ✓ 日本 😀";
            var time = Stopwatch.StartNew();
            agent.Copy(Copied);
            await page.WaitForAsync("(c, t) => c.clipboard.guestText === t && c.clipboard.written === 1", s_text, Copied);
            long guestToPage = time.ElapsedMilliseconds;
            Assert.Equal(Copied, await page.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

            // Browser -> guest: a paste in the console (Ctrl+V) sets the guest's clipboard first.
            const string Pasted = "pasted in the browser: grüße, мир ✓";
            await page.Page.EvaluateAsync("t => navigator.clipboard.writeText(t)", Pasted);
            await page.Page.Locator("#canvas").FocusAsync();
            time.Restart();
            await page.Page.Keyboard.PressAsync("Control+KeyV");
            await page.WaitForAsync("c => c.clipboard.pastes === 1 && !c.clipboard.pasting", s_text);
            long pasteSet = time.ElapsedMilliseconds;
            Assert.Equal(Pasted, await agent.WaitForReceivedAsync(1, s_text));
            long pasteInGuest = time.ElapsedMilliseconds;

            // The panel shows what the guest copied (not what was pasted), and its Send reaches the guest.
            await page.Page.ClickAsync("#btn-clip");
            Assert.Equal(Copied, await page.Page.InputValueAsync("#clip-text"));
            Assert.Contains("the guest copied this; it is on your clipboard", await page.Page.TextContentAsync("#clip-status"), StringComparison.Ordinal);
            output.WriteLine($"screenshot: {await page.ScreenshotAsync($"qemu-{version}-clipboard-panel")}");
            const string Sent = "sent from the panel: ça marche ✓ 日本語";
            await page.Page.FillAsync("#clip-text", Sent);
            time.Restart();
            await page.Page.ClickAsync("#clip-send");
            Assert.Equal(Sent, await agent.WaitForReceivedAsync(2, s_text));
            long panelSend = time.ElapsedMilliseconds;
            await page.Page.ClickAsync("#clip-cancel");

            // 100 KB guest -> page (and on to the browser's clipboard), then 100 KB pasted back.
            string big = LargeText(100 * 1024, seed: 1);
            time.Restart();
            agent.Copy(big);
            await page.WaitForAsync("(c, t) => c.clipboard.guestText === t && c.clipboard.written === 2", s_text, big);
            long bigToPage = time.ElapsedMilliseconds;
            Assert.Equal(big, await page.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
            string bigBack = LargeText(100 * 1024, seed: 2);
            await page.Page.EvaluateAsync("t => navigator.clipboard.writeText(t)", bigBack);
            await page.Page.Locator("#canvas").FocusAsync();
            time.Restart();
            await page.Page.Keyboard.PressAsync("Control+KeyV");
            await page.WaitForAsync("c => c.clipboard.pastes === 2 && !c.clipboard.pasting", s_text);
            Assert.Equal(bigBack, await agent.WaitForReceivedAsync(3, s_text));
            long bigToGuest = time.ElapsedMilliseconds;

            output.WriteLine($"QEMU {version}: guest copy -> page and browser clipboard {guestToPage} ms; " +
                $"Ctrl+V -> paste done on the page {pasteSet} ms, in the guest's clipboard {pasteInGuest} ms; panel Send -> guest {panelSend} ms; " +
                $"100 KB guest -> page {bigToPage} ms, 100 KB Ctrl+V -> guest {bigToGuest} ms; total {clock.Elapsed.TotalSeconds:F1} s");
            Assert.Equal(3, agent.Received.Length);
            Assert.Empty(agent.Errors);
        }
        catch
        {
            output.WriteLine($"screenshot at the failure: {await page.ScreenshotAsync($"qemu-{version}-clipboard-failed")}; hook: {await page.HookAsync()}; " +
                $"agent: {agent.Connects} connects, {agent.Requests} requests, {agent.Received.Length} received, errors: {string.Join("; ", agent.Errors)}");
            throw;
        }
        finally
        {
            output.WriteLine($"QEMU {version} stderr: {vm.Errors}");
        }
    }

    /// <summary>About <paramref name="bytes"/> UTF-8 bytes of lines mixing ASCII, accents, CJK and emoji, different per seed.</summary>
    private static string LargeText(int bytes, int seed)
    {
        var random = new Random(seed);
        string[] pieces = ["é", "ß", "€", "日本", "😀", "line\n", "abc ", "xyz\t", "\"quoted\" "];
        var text = new System.Text.StringBuilder(bytes);
        int size = 0;
        while (size < bytes)
        {
            string piece = pieces[random.Next(pieces.Length)];
            text.Append(piece);
            size += System.Text.Encoding.UTF8.GetByteCount(piece);
        }
        return text.ToString();
    }
}
