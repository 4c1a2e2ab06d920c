using System.Diagnostics;
using Microsoft.Playwright;
using WebConsole.Region;
using WebConsole.Testing;
using Xunit.Abstractions;
using static WebConsole.E2E.QemuScreen;

namespace WebConsole.E2E;

/// <summary>
/// libvirt domains in the browser, against the machine's real libvirtd and QEMU 7.2 (TCG, the test
/// guest): a p2p and a bus-mode domain get cards on the list page; keys typed on the p2p one's page
/// run a command whose blue screen the canvas shows; virsh destroy, start and undefine show in the
/// open pages without a reload. The server runs as root, so the bus-mode domain is listed invalid
/// with why (its bus admits only libvirt-qemu).
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed class LibvirtConsoleTests(BrowserFixture browser, ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan s_seenWithin = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_boot = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan s_screen = TimeSpan.FromSeconds(20);
    private static readonly PixelRect s_text = new(0, 0, 720, 400);
    private readonly LibvirtHost _host = new(RepoPaths.Root);

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task LibvirtDomains_AreCards_TakeKeys_AndStopStartAndUndefine_InTheOpenPages()
    {
        var total = Stopwatch.StartNew();
        string p2p = _host.Define(p2p: true);
        string bus = _host.Define(p2p: false);
        await using var server = await WebConsoleServer.StartAsync([], output,
            arguments: ["--Libvirt:Uri=" + LibvirtHost.Uri, "--Libvirt:Domains:0=" + LibvirtHost.Pattern]);

        // The list page: a card for each, the p2p one with the guest's thumbnail, the bus one saying why not.
        await using var list = await ConsolePage.OpenAsync(browser.Browser, server.Url("/"), output, 1100, 700);
        await list.Page.WaitForSelectorAsync($".card[data-id='{p2p}'][data-state='ready'] .thumb img:not([hidden])", new() { Timeout = 30_000 });
        await list.Page.WaitForSelectorAsync($".card[data-id='{bus}'][data-state='invalid']", new() { Timeout = 30_000 });
        string reason = await list.Page.InnerTextAsync($".card[data-id='{bus}'] .reason");
        Assert.Contains("D-Bus bus admits only uid", reason, StringComparison.Ordinal);
        Assert.Equal([p2p, bus], (await list.Page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('.card')].map(c => c.dataset.id)")).Order());

        // The p2p domain's page: keys typed there reach the guest's shell.
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url($"/console/{p2p}?scale=off"), output);
        try
        {
            await page.WaitForLiveAsync(s_screen);
            await page.Page.EvaluateAsync("() => { window.samePage = true; }");
            await WaitForShellAsync(page);
            output.WriteLine($"{total.Elapsed.TotalSeconds:F1} s: the guest's shell answers keys typed on the page");
            output.WriteLine($"screenshot: {await list.ScreenshotAsync("libvirt-list")}");
            await TypeAsync(page, @"printf '\033[44m'; clear");
            await Eventually.HoldsAsync(async () =>
            {
                double blue = Share(await page.ReadPixelsAsync(s_text), Blue);
                Assert.True(blue > 0.97, $"{blue:P1} of the screen is VGA blue");
            }, s_screen);
            output.WriteLine($"screenshot: {await page.ScreenshotAsync("libvirt-p2p-blue")}");

            // Destroyed: the open page says the domain is shut off; its card too.
            var clock = Stopwatch.StartNew();
            LibvirtHost.Destroy(p2p);
            long virshMs = clock.ElapsedMilliseconds;
            await page.WaitForAsync("c => c.sourceState === 'waiting' && (c.reason ?? '').startsWith('waiting for domain')", s_screen);
            long shown = clock.ElapsedMilliseconds - virshMs;
            output.WriteLine($"virsh destroy took {virshMs} ms; the page said '{await page.Page.InnerTextAsync("#status")}' {shown} ms after it returned");
            Assert.True(shown <= s_seenWithin.TotalMilliseconds, $"{shown} ms");
            await list.Page.WaitForSelectorAsync($".card[data-id='{p2p}'][data-state='waiting']", new() { Timeout = 10_000 });
            output.WriteLine($"screenshot: {await page.ScreenshotAsync("libvirt-p2p-shut-off")}");

            // Started again: the picture comes back in the same page, which takes keys again.
            long frames = await page.FramesPresentedAsync();
            clock.Restart();
            LibvirtHost.Start(p2p);
            await page.WaitForAsync($"c => c.state === 'connected' && c.sourceState === 'ready' && c.framesPresented > {frames}", s_screen);
            output.WriteLine($"virsh start -> the picture back in the open page after {clock.ElapsedMilliseconds} ms");
            Assert.True(await page.Page.EvaluateAsync<bool>("() => window.samePage === true"), "the page was reloaded");
            await WaitForShellAsync(page);
            await list.Page.WaitForSelectorAsync($".card[data-id='{p2p}'][data-state='ready']", new() { Timeout = 10_000 });

            // Undefined: "console removed" in the page, and the card leaves the list.
            LibvirtHost.Destroy(p2p);
            clock.Restart();
            _host.Undefine(p2p);
            long undefineMs = clock.ElapsedMilliseconds;
            await page.WaitForAsync("c => c.state === 'removed' && c.gone === 'console removed'", s_screen);
            await list.Page.WaitForSelectorAsync($".card[data-id='{p2p}']", new() { State = WaitForSelectorState.Detached, Timeout = 10_000 });
            long gone = clock.ElapsedMilliseconds - undefineMs;
            output.WriteLine($"virsh undefine took {undefineMs} ms; removed in the page and off the list {gone} ms after it returned");
            Assert.True(gone <= s_seenWithin.TotalMilliseconds, $"{gone} ms");
            Assert.Equal([bus], await list.Page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('.card')].map(c => c.dataset.id)"));
            await Task.Delay(300); // the fade of the last picture
            output.WriteLine($"screenshot: {await page.ScreenshotAsync("libvirt-p2p-removed")}");
            output.WriteLine($"total {total.Elapsed.TotalSeconds:F1} s");
        }
        catch
        {
            output.WriteLine($"screenshot at the failure: {await page.ScreenshotAsync("libvirt-failed")}; hook: {await page.HookAsync()}");
            throw;
        }
    }

    /// <summary>
    /// Types <c>clear</c> until the guest answers it (the prompt alone in the top-left corner): the
    /// domain has no serial port to wait on, and keys typed while the kernel boots may be lost.
    /// </summary>
    private static async Task WaitForShellAsync(ConsolePage page)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await page.WaitForAsync("c => c.width === 720 && c.height === 400", s_boot);
            await TypeAsync(page, "clear");
            try
            {
                await Eventually.HoldsAsync(async () =>
                {
                    byte[] prompt = await page.ReadPixelsAsync(PromptCells);
                    byte[] below = await page.ReadPixelsAsync(new PixelRect(0, 32, 720, 368));
                    Assert.True(Count(prompt, Grey, 8) > 60, $"{Count(prompt, Grey, 8)} grey pixels in \"{QemuVm.Prompt}\"");
                    Assert.True(Share(below, Blue) > 0.999 || Share(below, Black) > 0.999, "the screen below the prompt is not clear");
                }, TimeSpan.FromSeconds(3));
                return;
            }
            catch (Exception) when (clock.Elapsed < s_boot)
            {
                // Not up yet: type again.
            }
        }
    }

    /// <summary>Types <paramref name="command"/> and Enter on the page, as a user would (the page's keyboard path).</summary>
    private static async Task TypeAsync(ConsolePage page, string command)
    {
        await page.Page.FocusAsync("#canvas");
        await page.Page.Keyboard.TypeAsync(command, new() { Delay = 15 });
        await page.Page.Keyboard.PressAsync("Enter");
    }
}
