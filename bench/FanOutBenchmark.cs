using System.Diagnostics;
using WebConsole.Region;

namespace WebConsole.Bench;

/// <summary>
/// <c>fanout</c>: what each further viewer of a live console costs the server. The demo console and
/// a 1280x720 region with a 640x360 animation at 60 fps are watched by N .NET hub viewers (the page's
/// protocol, acknowledging each update at once; browsers cannot be fifty on two cores), in rounds
/// that alternate the viewer counts so the machine's noise falls on each alike. It prints server CPU
/// (core-seconds per second, from /proc) for each count and the ratio to the first count.
/// </summary>
internal sealed class FanOutBenchmark : IBenchmark
{
    public string Name => "fanout";

    public string Description => "live consoles watched by N hub viewers: server CPU per count and the ratio [--viewers 1,50] [--seconds N] [--rounds N]";

    public int Run(ReadOnlySpan<string> args)
    {
        int[] counts = [1, 50];
        for (int i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--viewers")
            {
                counts = args[i + 1].Split(',').Select(int.Parse).ToArray();
            }
        }
        return RunAsync(counts, CommandLine.Int(args, "--seconds", 8), CommandLine.Int(args, "--rounds", 3)).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int[] counts, int seconds, int rounds)
    {
        using var region = new BenchRegion("fanout720", 1280, 720);
        Span<byte> pixels = region.Begin();
        region.CopyFrame(SyntheticFrame.Text(1280, 720).Bytes, pixels);
        region.Publish();
        using var producer = new AnimatedProducer(region, new PixelRect(320, 192, AnimationBenchmark.AreaWidth, AnimationBenchmark.AreaHeight), SyntheticFrame.Photo(AnimationBenchmark.AreaWidth * 3, AnimationBenchmark.AreaHeight));
        producer.Start();
        await using ServerUnderTest server = await ServerUnderTest.StartAsync([("anim", region.Path)], ["--Consoles:demo:Source=demo"]);
        Console.WriteLine($"# fanout: {string.Join(" vs ", counts)} hub viewers, {rounds} rounds of {seconds} s per count and console; " +
            $"load average {MachineInfo.LoadAverage}; {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("| Console | Viewers | Server core-s/s (median of rounds) | each round | of which kernel | Updates/s per viewer | Ratio to " + counts[0] + " |");
        Console.WriteLine("|---|---:|---:|---|---:|---:|---:|");
        foreach (string console in new[] { "demo", "anim" })
        {
            var cpu = counts.ToDictionary(c => c, _ => new List<double>());
            var rates = counts.ToDictionary(c => c, _ => new List<double>());
            var kernel = counts.ToDictionary(c => c, _ => new List<double>());
            foreach (int count in counts)
            {
                // Warm-up, not counted: tiered compilation keeps re-JITting the new paths for several
                // seconds (perf showed the JIT at 30 % of the server in an early window).
                await MeasureAsync(server, console, count, 8);
            }
            for (int round = 0; round < rounds; round++)
            {
                foreach (int count in round % 2 == 0 ? counts : counts.Reverse())
                {
                    (double core, double system, double rate) = await MeasureAsync(server, console, count, seconds);
                    cpu[count].Add(core);
                    kernel[count].Add(system);
                    rates[count].Add(rate);
                }
            }
            double first = new Distribution(cpu[counts[0]]).Median;
            foreach (int count in counts)
            {
                double median = new Distribution(cpu[count]).Median;
                Console.WriteLine($"| {console} | {count} | {median:F3} | {string.Join(" ", cpu[count].Select(c => c.ToString("F3")))} | " +
                    $"{new Distribution(kernel[count]).Median:F3} | {new Distribution(rates[count]).Median:F1} | {median / first:F2}x |");
            }
        }
        producer.Stop();
        if (producer.Failure is not null)
        {
            Console.Error.WriteLine($"the animated producer stopped: {producer.Failure}");
            return 1;
        }
        return 0;
    }

    /// <summary>Joins <paramref name="count"/> viewers, lets them settle, and measures the server's CPU over the window.</summary>
    private static async Task<(double CoreSecondsPerSecond, double KernelPerSecond, double UpdatesPerViewerPerSecond)> MeasureAsync(
        ServerUnderTest server, string console, int count, int seconds)
    {
        var viewers = new List<HubViewer>(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                viewers.Add(await HubViewer.JoinAsync(server.BaseAddress, console));
            }
            await Task.Delay(TimeSpan.FromSeconds(2)); // the first full frames, and the JIT of the new paths
            foreach (HubViewer viewer in viewers)
            {
                viewer.Drain();
            }
            (TimeSpan user0, TimeSpan system0) = ProcStat.CpuTimes(server.ProcessId);
            var clock = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            (TimeSpan user1, TimeSpan system1) = ProcStat.CpuTimes(server.ProcessId);
            double elapsed = clock.Elapsed.TotalSeconds;
            long updates = 0;
            foreach (HubViewer viewer in viewers)
            {
                updates += viewer.Drain();
            }
            return (((user1 - user0) + (system1 - system0)).TotalSeconds / elapsed, (system1 - system0).TotalSeconds / elapsed,
                updates / (double)count / elapsed);
        }
        finally
        {
            foreach (HubViewer viewer in viewers)
            {
                await viewer.DisposeAsync();
            }
            await Task.Delay(TimeSpan.FromSeconds(1)); // the last viewer gone, the capture loop stopped
        }
    }
}
