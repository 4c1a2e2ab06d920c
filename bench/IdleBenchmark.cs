using System.Diagnostics;
using System.Globalization;
using WebConsole.Region;
using WebConsole.Testing;

namespace WebConsole.Bench;

/// <summary>
/// <c>idle</c>: what a still screen costs (issue 19: "a still screen costs nothing"). One console at
/// a time, each in a server of its own: an x11 console on an Xvfb whose screen does not change, a
/// QEMU 7.2 guest at its shell prompt with the text cursor hidden (so nothing blinks), and a region
/// whose producer published one frame. For each, with one viewer joined (and its first frame and
/// lossless refresh done) and then with nobody watching: the server's CPU time and context switches
/// over the window, from /proc/PID/task/*/status and stat, for the whole process and for the
/// console's capture thread alone (its name is "capture &lt;id&gt;").
/// </summary>
internal sealed class IdleBenchmark : IBenchmark
{
    private static readonly TimeSpan s_boot = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(4);

    public string Name => "idle";

    public string Description => "a still x11, qemu and region console with one viewer and with none: server CPU and wakeups per second [--seconds N]";

    public int Run(ReadOnlySpan<string> args) =>
        RunAsync(CommandLine.Int(args, "--seconds", 20), CommandLine.String(args, "--only", "x11,qemu,qemu10,region").Split(',')).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(int seconds, string[] only)
    {
        Console.WriteLine($"# idle: one console per server, still screen, windows of {seconds} s after {s_settle.TotalSeconds:0} s to settle; load average {MachineInfo.LoadAverage}");
        Console.WriteLine("# wakeups = voluntary + involuntary context switches (/proc/PID/task/*/status); the capture thread's are its own");
        Console.WriteLine();
        Console.WriteLine("| Console | Watched | Server CPU ms/s | Server wakeups/s | Capture thread wakeups/s | Frames read/s | QEMU updates/s | Updates sent/s |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
        int failures = 0;

        string xDir = Directory.CreateTempSubdirectory("webconsole-idle-x-").FullName;
        Process? xvfb = null;
        try
        {
            if (!only.Contains("x11"))
            {
                throw new OperationCanceledException();
            }
            int display = 880 + Random.Shared.Next(100);
            xvfb = Process.Start(new ProcessStartInfo("Xvfb", [$":{display}", "-screen", "0", "1024x768x24", "-noreset", "-nolisten", "tcp"]) { UseShellExecute = false })!;
            await WaitForFileAsync($"/tmp/.X11-unix/X{display}");
            using (Process root = Process.Start(new ProcessStartInfo("xsetroot", ["-display", $":{display}", "-solid", "#336699"]) { UseShellExecute = false })!)
            {
                await root.WaitForExitAsync();
            }
            failures += await RowsAsync("x11 (Xvfb 1024x768, DAMAGE)", "x11", $"x11::{display}", seconds);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            Console.WriteLine($"| x11 | FAILED: {e.Message} | | | | |");
            failures++;
        }
        finally
        {
            xvfb?.Kill();
            xvfb?.Dispose();
            Directory.Delete(xDir, recursive: true);
        }

        foreach ((string key, QemuVersion version, string vga, string label) in new[]
        {
            ("qemu", QemuVersion.System, "std", "qemu 7.2 (VGA text 720x400, inline Update)"),
            ("qemu10", QemuVersion.Backports10, "virtio", "qemu 10.0 (virtio VGA text 720x400, UpdateMap)"),
        })
        {
            if (!only.Contains(key))
            {
                continue;
            }
            try
            {
                using var vm = new QemuVm(RepoLayout.Root, version, vga);
                await vm.WaitForShellAsync(s_boot);
                await vm.RunAsync("printf '\\033[?25l' >/dev/tty1; clear >/dev/tty1", TimeSpan.FromSeconds(30)); // no blinking cursor
                failures += await RowsAsync(label + ", cursor hidden", "vm", vm.Source, seconds);
            }
            catch (Exception e)
            {
                Console.WriteLine($"| {label} | FAILED: {e.Message} | | | | | | |");
                failures++;
            }
        }

        string regionDir = Directory.CreateTempSubdirectory("webconsole-idle-region-").FullName;
        try
        {
            if (only.Contains("region"))
            {
            using var writer = RegionWriter.Create(Path.Combine(regionDir, "still"), new RegionWriterOptions { Width = 1024, Height = 768, BufferCount = 2 });
            writer.PublishFull();
            failures += await RowsAsync("region (1024x768, one frame)", "still", $"region:{writer.Path}", seconds);
            }
        }
        finally
        {
            Directory.Delete(regionDir, recursive: true);
        }
        return failures == 0 ? 0 : 1;
    }

    private static async Task<int> RowsAsync(string name, string id, string source, int seconds)
    {
        await using ServerUnderTest server = await ServerUnderTest.StartWithSourcesAsync([(id, source)]);
        await using (HubViewer viewer = await HubViewer.JoinAsync(server.BaseAddress, id))
        {
            await Task.Delay(s_settle);
            viewer.Drain();
            Dictionary<string, double> before = await MetricsScrape.ReadAsync(server.BaseAddress);
            Window w = await MeasureAsync(server.ProcessId, id, seconds);
            Dictionary<string, double> after = await MetricsScrape.ReadAsync(server.BaseAddress);
            int updates = viewer.Drain();
            double Rate(string metric) => (MetricsScrape.Sum(after, metric) - MetricsScrape.Sum(before, metric)) / seconds;
            Console.WriteLine($"| {name} | 1 viewer | {w.CpuMsPerSecond:F2} | {w.WakeupsPerSecond:F1} | {w.CaptureWakeupsPerSecond:F2} | " +
                $"{Rate("webconsole_frames_captured_total"):F2} | {Rate("webconsole_qemu_updates_total"):F2} | {updates / (double)seconds:F2} |");
        }
        await Task.Delay(s_settle); // the loop ends when the last viewer leaves
        Window idle = await MeasureAsync(server.ProcessId, id, seconds);
        Console.WriteLine($"| {name} | nobody | {idle.CpuMsPerSecond:F2} | {idle.WakeupsPerSecond:F1} | {(idle.CaptureThreads == 0 ? "no thread" : idle.CaptureWakeupsPerSecond.ToString("F2", CultureInfo.InvariantCulture))} | | | 0 |");
        return 0;
    }

    private sealed record Window(double CpuMsPerSecond, double WakeupsPerSecond, double CaptureWakeupsPerSecond, int CaptureThreads);

    private static async Task<Window> MeasureAsync(int pid, string id, int seconds)
    {
        TimeSpan cpu0 = ProcStat.CpuTime(pid);
        (long all0, long capture0, _) = Switches(pid, id);
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        double elapsed = clock.Elapsed.TotalSeconds;
        TimeSpan cpu1 = ProcStat.CpuTime(pid);
        (long all1, long capture1, int threads) = Switches(pid, id);
        return new Window((cpu1 - cpu0).TotalMilliseconds / elapsed, (all1 - all0) / elapsed, (capture1 - capture0) / elapsed, threads);
    }

    /// <summary>Context switches of every thread of <paramref name="pid"/>, and of its capture thread for <paramref name="id"/>.</summary>
    private static (long All, long Capture, int CaptureThreads) Switches(int pid, string id)
    {
        long all = 0, capture = 0;
        int threads = 0;
        string captureName = $"capture {id}";
        captureName = captureName.Length > 15 ? captureName[..15] : captureName; // the kernel keeps 15 bytes of a thread's name
        foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            long switches = 0;
            try
            {
                foreach (string line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) ||
                        line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        switches += long.Parse(line[(line.IndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture);
                    }
                }
                all += switches;
                if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') == captureName)
                {
                    capture += switches;
                    threads++;
                }
            }
            catch (IOException)
            {
                // the thread ended while it was read
            }
        }
        return (all, capture, threads);
    }

    private static async Task WaitForFileAsync(string path)
    {
        var clock = Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"{path} did not appear");
            }
            await Task.Delay(50);
        }
        await Task.Delay(200);
    }
}
