using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using WebConsole.Testing;

namespace WebConsole.Bench;

/// <summary>
/// <c>qemu</c>: a real QEMU guest (testing/qemu/build-guest.sh) on a <c>qemu:qmp=</c> console, on
/// the system's QEMU 7.2 (-vga std: pixels inline in every Update) and QEMU 10.0 (-vga virtio:
/// ScanoutMap + UpdateMap, damage only), each in VGA text mode (720x400) and on the DRM
/// framebuffer console (1280x800, after <c>modprobe</c> in the guest).
/// <list type="bullet">
/// <item>Latency: a loop in the guest's serial shell paints the top-left text cells red or blue on
/// tty1 when the benchmark sends it a letter; from the write to the serial port to the animation
/// frame in Chromium whose canvas shows the new colour (<see cref="PageProbe.Latency"/>). It
/// includes the serial line and the guest's shell (the "serial round trip" column: letter in,
/// the loop's reply out) and QEMU's own display refresh (30 ms timer for VGA text).</item>
/// <item>Bytes: from the source's counters on <c>/metrics</c>: damage messages and the pixel bytes
/// inside them (the D-Bus header, about 150 bytes, comes on top of each).</item>
/// <item>CPU of the server process from /proc, with one page watching: the guest idle (only the
/// blinking cursor changes) and the guest printing without pause (<c>while true; do date; done</c>
/// on tty1).</item>
/// </list>
/// </summary>
internal sealed class QemuBenchmark : IBenchmark
{
    private static readonly TimeSpan s_boot = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan s_step = TimeSpan.FromSeconds(30);

    public string Name => "qemu";

    public string Description => "a real QEMU 7.2 and 10.0 guest: latency guest change -> pixel, D-Bus bytes per update, server CPU idle/printing [--samples N] [--seconds N]";

    public int Run(ReadOnlySpan<string> args) =>
        RunAsync(CommandLine.Int(args, "--samples", 40), CommandLine.Int(args, "--seconds", 10)).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(int samples, int seconds)
    {
        await using BenchBrowser browser = await BenchBrowser.LaunchAsync();
        Console.WriteLine($"# qemu: a busybox guest under TCG ({QemuTools.Accelerator()}), one Chromium {browser.Version} page at 1:1; " +
            $"{samples} latency samples per row, 60-160 ms apart; CPU windows of {seconds} s; load average {MachineInfo.LoadAverage}");
        Console.WriteLine();
        var cpuRows = new List<string>();
        Console.WriteLine("| QEMU | Screen | Path | p50 ms | p95 ms | min ms | max ms | samples | serial round trip p50 ms |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|");
        foreach ((QemuVersion version, string vga, string driver) in new[]
        {
            (QemuVersion.System, "std", "bochs"),
            (QemuVersion.Backports10, "virtio", "-a virtio_pci virtio_gpu"),
        })
        {
            using var vm = new QemuVm(RepoLayout.Root, version, vga);
            string name = VersionOf(vm);
            await vm.WaitForShellAsync(s_boot);
            await using ServerUnderTest server = await ServerUnderTest.StartWithSourcesAsync([("vm", vm.Source)]);
            try
            {
                foreach ((string screen, int width, int height) in new[] { ("VGA text", 720, 400), ("framebuffer", 1280, 800) })
                {
                    if (width == 1280)
                    {
                        await vm.RunAsync($"modprobe {driver}", s_step);
                    }
                    await vm.RunAsync("printf '\\033[0m' >/dev/tty1; clear >/dev/tty1", s_step);
                    IPage page = await browser.OpenConsoleAsync(server.ConsoleUrl("vm"), width, height, PageProbe.WebSocketCounter);
                    string path = Transport(await MetricsScrape.ReadAsync(server.BaseAddress));
                    (Distribution latency, Distribution serial) = await LatencyAsync(vm, page, samples);
                    Console.WriteLine($"| {name} | {screen} {width}x{height} | {path} | {latency.Median:F1} | {latency.P95:F1} | {latency.Min:F1} | " +
                        $"{latency.Max:F1} | {latency.Count} | {serial.Median:F1} |");
                    await vm.RunAsync("printf '\\033[0m' >/dev/tty1; clear >/dev/tty1", s_step);
                    cpuRows.Add(await CpuAsync(vm, server, page, name, $"{screen} {width}x{height}", "idle (cursor blinking)", seconds));
                    await vm.RunAsync("(while true; do date; done) >/dev/tty1 2>&1 & echo $! >/tmp/printer", s_step);
                    cpuRows.Add(await CpuAsync(vm, server, page, name, $"{screen} {width}x{height}", "printing (while true; do date; done)", seconds));
                    await vm.RunAsync("kill $(cat /tmp/printer)", s_step);
                    await browser.CloseContextsAsync();
                }
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"{name}: {e.Message}\nserver log:\n{server.Log}\nQEMU: {vm.Errors}", e);
            }
        }
        Console.WriteLine();
        Console.WriteLine("| QEMU | Screen | Guest | Server CPU % of one core | QEMU CPU % | damage messages/s | pixel bytes per message | pixel MB/s on the socket | updates presented/s | WebSocket KB/s |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (string row in cpuRows)
        {
            Console.WriteLine(row);
        }
        return 0;
    }

    private static string VersionOf(QemuVm vm)
    {
        string binary = QemuTools.Binary(RepoLayout.Root, vm.Version);
        var info = new ProcessStartInfo(binary, "--version") { RedirectStandardOutput = true, UseShellExecute = false };
        using Process p = Process.Start(info)!;
        string first = p.StandardOutput.ReadLine() ?? "";
        p.WaitForExit();
        // "QEMU emulator version 7.2.22 (Debian ...)"
        string[] words = first.Split(' ');
        return words.Length > 3 ? words[3] : first;
    }

    private static string Transport(Dictionary<string, double> metrics)
    {
        foreach (string t in new[] { "map", "inline" })
        {
            if (MetricsScrape.Sum(metrics, "webconsole_qemu_transport", "console=\"vm\"", $"transport=\"{t}\"") > 0)
            {
                return t == "map" ? "Map (memfd + UpdateMap)" : "inline (Scanout/Update)";
            }
        }
        return "none";
    }

    /// <summary>
    /// Starts the painter loop in the serial shell, then times each sample from the letter's write
    /// to the animation frame that shows the colour; the loop answers each letter on the serial
    /// port, which times the guest's side.
    /// </summary>
    private static async Task<(Distribution Latency, Distribution Serial)> LatencyAsync(QemuVm vm, IPage page, int samples)
    {
        // Cells 1-8 of the first row: 72x16 (text) or 64x16 (framebuffer) pixels, probed at (4, 8).
        const string Loop = "while read -r c; do case $c in " +
            "r) printf '\\033[1;1H\\033[41m        \\033[0m' >/dev/tty1;; " +
            "b) printf '\\033[1;1H\\033[44m        \\033[0m' >/dev/tty1;; " +
            "q) break;; esac; echo \"ok$c\"; done";
        await vm.WriteSerialAsync(Loop + "\n", s_step);
        await Task.Delay(500);
        await page.EvaluateAsync(PageProbe.Latency, new { x = 4, y = 8 });
        var random = new Random(11);
        var latencies = new double[samples];
        var serial = new List<double>(samples);
        // Record n of the probe is the n-th colour change; the first sample paints red (1), then blue (2), ...
        for (int n = 1; n <= samples + 1; n++)
        {
            Task<JsonElement> seen = page.EvaluateAsync<JsonElement>("n => window.__latencyProbe.waitFor(n)", n);
            await Task.Delay(random.Next(60, 161));
            char letter = n % 2 == 1 ? 'r' : 'b';
            int from = vm.Serial.Length;
            double written = Clock.NowMs();
            await vm.WriteSerialAsync($"{letter}\n", s_step);
            JsonElement record = await seen.WaitAsync(s_step);
            int replyAt = await vm.WaitForSerialAsync($"ok{letter}", from, s_step);
            double replied = Clock.NowMs();
            int colour = record.GetProperty("colour").GetInt32();
            if (colour != (letter == 'r' ? 1 : 2))
            {
                throw new InvalidOperationException($"sample {n}: the page saw colour {colour} after '{letter}' (serial at {replyAt})");
            }
            // The first sample turns black to red and settles the loop; it is not counted.
            if (n > 1)
            {
                latencies[n - 2] = record.GetProperty("at").GetDouble() - written;
                serial.Add(replied - written);
            }
        }
        await vm.WriteSerialAsync("q\n", s_step);
        await vm.RunAsync("true", s_step);
        return (new Distribution(latencies), new Distribution(serial));
    }

    private static async Task<string> CpuAsync(QemuVm vm, ServerUnderTest server, IPage page, string name, string screen, string guest, int seconds)
    {
        await Task.Delay(2000); // past the change of activity
        Dictionary<string, double> m0 = await MetricsScrape.ReadAsync(server.BaseAddress);
        var (presented0, bytes0) = await PageCountersAsync(page);
        TimeSpan serverCpu0 = server.CpuTime(), qemuCpu0 = ProcStat.CpuTime(vm.ProcessId);
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        TimeSpan serverCpu1 = server.CpuTime(), qemuCpu1 = ProcStat.CpuTime(vm.ProcessId);
        double elapsed = clock.Elapsed.TotalSeconds;
        Dictionary<string, double> m1 = await MetricsScrape.ReadAsync(server.BaseAddress);
        var (presented1, bytes1) = await PageCountersAsync(page);

        double Delta(string metric, params string[] labels) =>
            MetricsScrape.Sum(m1, metric, ["console=\"vm\"", .. labels]) - MetricsScrape.Sum(m0, metric, ["console=\"vm\"", .. labels]);
        double messages = Delta("webconsole_qemu_updates_total");
        double pixelBytes = Delta("webconsole_qemu_inline_pixels_bytes_total");
        string perMessage = messages > 0 ? (pixelBytes / messages).ToString("F0", CultureInfo.InvariantCulture) : "-";
        return $"| {name} | {screen} | {guest} | {(serverCpu1 - serverCpu0).TotalSeconds / elapsed * 100:F1} | " +
            $"{(qemuCpu1 - qemuCpu0).TotalSeconds / elapsed * 100:F0} | {messages / elapsed:F0} | {perMessage} | " +
            $"{pixelBytes / elapsed / 1e6:F2} | {(presented1 - presented0) / elapsed:F1} | {(bytes1 - bytes0) / elapsed / 1024:F1} |";
    }

    private static async Task<(double Presented, double Bytes)> PageCountersAsync(IPage page)
    {
        JsonElement c = await page.EvaluateAsync<JsonElement>("() => ({ presented: window.webConsole.framesPresented, bytes: window.__ws.bytes })");
        return (c.GetProperty("presented").GetDouble(), c.GetProperty("bytes").GetDouble());
    }
}
