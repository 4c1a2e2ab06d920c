using System.Globalization;
using System.Text.RegularExpressions;
using WebConsole.Region;
using WebConsole.Testing;
using Xunit.Abstractions;
using static WebConsole.E2E.QemuScreen;

namespace WebConsole.E2E;

/// <summary>
/// A real QEMU (the system's 7.2: inline pixels; 10.0 from backports: ScanoutMap/UpdateMap) booting
/// the test guest (testing/qemu/build-guest.sh) on its D-Bus display, shown on /console/vm through a
/// <c>qemu:qmp=</c> console, and driven by keys typed on the page.
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed partial class QemuConsoleTests(BrowserFixture browser, ITestOutputHelper output)
{
    private static readonly TimeSpan s_boot = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan s_screen = TimeSpan.FromSeconds(20);
    private static readonly PixelRect s_text = new(0, 0, 720, 400);
    private static readonly PixelRect s_framebuffer = new(0, 0, 1280, 800);

    /// <summary>
    /// One guest per QEMU version, in the order a user meets it: the shell prompt on the page; a
    /// command typed on the page runs and its output (a blue screen) arrives; the guest switches
    /// from VGA text to a framebuffer and the canvas follows; QEMU is killed and restarted and the
    /// page comes back by itself (and the toolbar's Type text reaches the new guest); the toolbar's
    /// Ctrl+Alt+Del reboots the guest. On 10.0 the pixels come through the mapped memfd.
    /// </summary>
    [Theory]
    [InlineData("7.2")]
    [InlineData("10.0")]
    public async Task QemuConsole_ShowsTheGuest_RunsWhatIsTyped_FollowsTheModeChange_AndSurvivesARestart(string version)
    {
        bool ten = version == "10.0";
        // 7.2 with the standard VGA (bochs-drm for the framebuffer); 10.0 with virtio-vga, whose
        // surfaces QEMU 10 hands over as a memfd (-vga std + bochs falls back to inline pixels).
        using var vm = new QemuVm(RepoPaths.Root, ten ? QemuVersion.Backports10 : QemuVersion.System, ten ? "virtio" : "std", start: false);
        string driver = ten ? "-a virtio_pci virtio_gpu" : "bochs";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var server = await WebConsoleServer.StartAsync([new ServerConsole("vm", vm.Source)], output);
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/vm?scale=off"), output);
        try
        {
            // No QEMU yet: the console waits for it, and shows it once it is there.
            await page.WaitForAsync("c => c.state === 'connected' && c.sourceState === 'waiting'", s_screen);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: before QEMU: {await page.Page.InnerTextAsync("#status")}");
            vm.Start();
            await vm.WaitForShellAsync(s_boot);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: the guest's shell is up");

            // VGA text mode, 80x25 cells of 9x16: the boot text and the prompt, grey on black.
            await page.WaitForLiveAsync(s_screen);
            await page.WaitForAsync("c => c.width === 720 && c.height === 400", s_screen);
            await Eventually.HoldsAsync(async () =>
            {
                byte[] screen = await page.ReadPixelsAsync(s_text);
                Assert.True(Count(screen, Grey, 8) > 500, $"{Count(screen, Grey, 8)} grey text pixels on the boot screen");
            }, s_screen);

            // Typed on the page: `clear` leaves the prompt alone in the top-left corner.
            await TypeAsync(page, "clear");
            await Eventually.HoldsAsync(async () =>
            {
                byte[] prompt = await page.ReadPixelsAsync(PromptCells);
                byte[] below = await page.ReadPixelsAsync(new PixelRect(0, 32, 720, 368));
                Assert.True(Count(prompt, Grey, 8) > 60, $"{Count(prompt, Grey, 8)} grey pixels in \"{QemuVm.Prompt}\"");
                Assert.Equal(1.0, Share(below, Black), 3);
            }, s_screen);
            await AssertShowsWhatQemuShowsAsync(vm, page);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: screenshot: {await page.ScreenshotAsync($"qemu-{version}-prompt")}");

            // A command whose output is a colour: the whole screen turns VGA blue.
            await TypeAsync(page, @"printf '\033[44m'; clear");
            await Eventually.HoldsAsync(async () =>
            {
                double blue = Share(await page.ReadPixelsAsync(s_text), Blue);
                Assert.True(blue > 0.97, $"{blue:P1} of the screen is VGA blue");
            }, s_screen);
            await AssertShowsWhatQemuShowsAsync(vm, page);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: screenshot: {await page.ScreenshotAsync($"qemu-{version}-blue")}");

            // VGA text -> the DRM driver's framebuffer console: the canvas takes the new size,
            // and the blue background stays (fbcon repaints the text with the same attributes).
            await TypeAsync(page, $"printf '\\033[0m'; clear; modprobe {driver}");
            // Loading a DRM driver under TCG takes a few seconds, more on a busy machine.
            await page.WaitForAsync("c => c.width === 1280 && c.height === 800", 2 * s_screen);
            await TypeAsync(page, "clear");
            await Eventually.HoldsAsync(async () =>
            {
                byte[] prompt = await page.ReadPixelsAsync(PromptCells);
                byte[] below = await page.ReadPixelsAsync(new PixelRect(0, 32, 1280, 768));
                Assert.True(Count(prompt, Grey, 8) > 60, $"{Count(prompt, Grey, 8)} grey pixels in the prompt on the framebuffer");
                Assert.Equal(1.0, Share(below, Black), 3);
            }, s_screen);
            await AssertShowsWhatQemuShowsAsync(vm, page);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: screenshot: {await page.ScreenshotAsync($"qemu-{version}-framebuffer")}");

            if (ten)
            {
                // The Map path: after ScanoutMap only damage crosses the socket, however much changes.
                Dictionary<string, double> before = await MetricsAsync(server);
                Assert.Equal(1, Value(before, "webconsole_qemu_transport", "transport=\"map\""));
                await TypeAsync(page, @"printf '\033[44m'; clear; ls -l /lib/modules/*/kernel/drivers/*");
                await Eventually.HoldsAsync(async () =>
                {
                    byte[] screen = await page.ReadPixelsAsync(s_framebuffer);
                    Assert.True(Share(screen, Blue) > 0.5, $"{Share(screen, Blue):P1} of the framebuffer is blue");
                }, s_screen);
                Dictionary<string, double> after = await MetricsAsync(server);
                Assert.True(Value(after, "webconsole_qemu_updates_total", "path=\"map\"") > Value(before, "webconsole_qemu_updates_total", "path=\"map\""),
                    "no UpdateMap arrived for the changes");
                Assert.Equal(Value(before, "webconsole_qemu_inline_pixels_bytes_total", ""), Value(after, "webconsole_qemu_inline_pixels_bytes_total", ""));
                Assert.Equal(1, Value(after, "webconsole_qemu_transport", "transport=\"map\""));
            }

            // QEMU dies: the page says the producer is gone; a new QEMU on the same socket comes back by itself.
            vm.Kill();
            await page.WaitForAsync("c => c.state === 'connected' && c.sourceState === 'waiting'", s_screen);
            output.WriteLine($"while QEMU is away: {await page.Page.InnerTextAsync("#status")}");
            long framesBefore = await page.FramesPresentedAsync();
            vm.Start();
            await vm.WaitForShellAsync(s_boot);
            await page.WaitForAsync($"c => c.sourceState === 'ready' && c.framesPresented > {framesBefore} && c.width === 720 && c.height === 400", s_screen);
            // This time through the toolbar's "Type text" (ASCII turned into key presses by the page).
            await page.Page.ClickAsync("#btn-type");
            await page.Page.FillAsync("#type-text", "clear\n");
            await page.Page.ClickAsync("#type-send");
            await Eventually.HoldsAsync(async () =>
            {
                byte[] prompt = await page.ReadPixelsAsync(PromptCells);
                byte[] below = await page.ReadPixelsAsync(new PixelRect(0, 32, 720, 368));
                Assert.True(Count(prompt, Grey, 8) > 60, $"{Count(prompt, Grey, 8)} grey pixels in the prompt after the restart");
                Assert.Equal(1.0, Share(below, Black), 3);
            }, s_screen);
            await AssertShowsWhatQemuShowsAsync(vm, page);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: screenshot: {await page.ScreenshotAsync($"qemu-{version}-restarted")}");

            // The toolbar's Ctrl+Alt+Del (three keys through Keyboard.Press/Release): busybox init
            // runs its ctrlaltdel action, the guest reboots and its shell comes up again.
            await vm.RunAsync("touch /root/before-reboot", s_screen); // in the initramfs: gone after a reboot
            await page.Page.ClickAsync("#btn-cad");
            var rebootDeadline = DateTime.UtcNow + s_boot;
            while (true)
            {
                try
                {
                    string ls = await vm.RunAsync("ls /root/before-reboot 2>&1", TimeSpan.FromSeconds(5));
                    if (ls.Contains("No such file", StringComparison.Ordinal))
                    {
                        break;
                    }
                }
                catch (Exception e) when (e is TimeoutException or OperationCanceledException)
                {
                    // Rebooting: the serial shell is not there yet.
                }
                Assert.True(DateTime.UtcNow < rebootDeadline, "Ctrl+Alt+Del from the toolbar did not reboot the guest");
                await Task.Delay(500);
            }
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: Ctrl+Alt+Del rebooted the guest");
        }
        catch
        {
            output.WriteLine($"screenshot at the failure: {await page.ScreenshotAsync($"qemu-{version}-failed")}; hook: {await page.HookAsync()}");
            if (vm.IsRunning)
            {
                output.WriteLine($"the guest says: {await vm.RunAsync("lsmod; cat /proc/fb; dmesg | tail -n 8", s_screen)}");
                TestImage qemu = vm.Screen();
                output.WriteLine($"QEMU shows {qemu.Width}x{qemu.Height}; {Count(qemu.Rgba, Grey, 8)} grey, {Count(qemu.Rgba, Blue)} blue pixels; " +
                    $"the canvas {Count(await page.ReadPixelsAsync(new PixelRect(0, 0, qemu.Width, qemu.Height)), Grey, 8)} grey in that area");
            }
            throw;
        }
        finally
        {
            output.WriteLine($"QEMU {version} stderr: {vm.Errors}");
        }
    }

    /// <summary>Waits until the canvas has QEMU's size and shows what QEMU's own screendump shows.</summary>
    private static async Task AssertShowsWhatQemuShowsAsync(QemuVm vm, ConsolePage page)
    {
        await Eventually.HoldsAsync(async () =>
        {
            TestImage qemu = vm.Screen();
            int width = await page.GetAsync<int>("width"), height = await page.GetAsync<int>("height");
            Assert.Equal((qemu.Width, qemu.Height), (width, height));
            AssertLike(qemu, await page.ReadPixelsAsync(new PixelRect(0, 0, qemu.Width, qemu.Height)));
        }, s_screen);
    }

    /// <summary>Types <paramref name="command"/> and Enter on the page, as a user would (the page's keyboard path).</summary>
    private static async Task TypeAsync(ConsolePage page, string command)
    {
        await page.Page.FocusAsync("#canvas");
        await page.Page.Keyboard.TypeAsync(command, new() { Delay = 15 });
        await page.Page.Keyboard.PressAsync("Enter");
    }

    /// <summary>/metrics as name{labels} -> value.</summary>
    private static async Task<Dictionary<string, double>> MetricsAsync(WebConsoleServer server)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        string text = await http.GetStringAsync(server.Url("/metrics"));
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (Match m in MetricLine().Matches(text))
        {
            values[m.Groups[1].Value] = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        }
        return values;
    }

    /// <summary>The value of the series <paramref name="name"/> for console "vm" whose labels include <paramref name="label"/>.</summary>
    private static double Value(Dictionary<string, double> metrics, string name, string label)
    {
        foreach ((string series, double value) in metrics)
        {
            if (series.StartsWith(name + "{", StringComparison.Ordinal) && series.Contains("console=\"vm\"", StringComparison.Ordinal) &&
                series.Contains(label, StringComparison.Ordinal))
            {
                return value;
            }
        }
        throw new Xunit.Sdk.XunitException($"/metrics has no {name}{{console=\"vm\",{label}}}: {string.Join(", ", metrics.Keys.Where(k => k.Contains("qemu", StringComparison.Ordinal)))}");
    }

    [GeneratedRegex(@"^([a-z_]+\{[^}]*\})\s+([0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex MetricLine();
}
