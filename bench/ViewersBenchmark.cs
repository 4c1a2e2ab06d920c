using System.Diagnostics;
using Microsoft.Playwright;

namespace WebConsole.Bench;

/// <summary>
/// <c>viewers</c>: a static screen watched by ten pages. Once every page shows its first frame
/// and the server has settled, the window measures what the server still spends: CPU from
/// /proc, bytes from the kernel's TCP counters, and what the pages received. A first window with
/// no viewer at all gives the idle server's own baseline.
/// </summary>
internal sealed class ViewersBenchmark : IBenchmark
{
    private static readonly (int Width, int Height)[] Sizes = [(1280, 720), (1920, 1080)];

    public string Name => "viewers";

    public string Description => "static screen, 10 viewers: server CPU and bytes sent after the first frame [--viewers N] [--seconds N] [--settle N]";

    public int Run(ReadOnlySpan<string> args) =>
        RunAsync(CommandLine.Int(args, "--viewers", 10), CommandLine.Int(args, "--seconds", 10), CommandLine.Int(args, "--settle", 5))
            .GetAwaiter().GetResult();

    private static async Task<int> RunAsync(int viewers, int seconds, int settle)
    {
        var regions = new List<BenchRegion>();
        try
        {
            foreach ((int width, int height) in Sizes)
            {
                var region = new BenchRegion($"static{height}", width, height);
                regions.Add(region);
                Span<byte> pixels = region.Begin();
                region.CopyFrame(SyntheticFrame.Text(width, height).Bytes, pixels);
                region.Publish();
            }
            await using ServerUnderTest server = await ServerUnderTest.StartAsync(regions.Select(r => (ConsoleId(r), r.Path)));
            await using BenchBrowser browser = await BenchBrowser.LaunchAsync();
            Console.WriteLine($"# viewers: static screen, {viewers} pages (Chromium {browser.Version}), measured for {seconds} s " +
                $"from {settle} s after every page showed its first frame; load average {MachineInfo.LoadAverage}");
            Console.WriteLine();
            Console.WriteLine("| Frame | Viewers | Server CPU % of one core | Server CPU ms | Bytes sent (TCP) | Server TCP connections | " +
                "Messages received by pages (bytes) | Updates presented | Machine busy % (2 cores = 200) |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");

            // The server on its own, past its start-up: what any window below includes anyway.
            await Task.Delay(TimeSpan.FromSeconds(settle));
            Console.WriteLine(await MeasureAsync(server, "-", [], seconds));

            foreach (BenchRegion region in regions)
            {
                var pages = new List<IPage>();
                for (int i = 0; i < viewers; i++)
                {
                    pages.Add(await browser.OpenConsoleAsync(server.ConsoleUrl(ConsoleId(region)), region.Width, region.Height, PageProbe.WebSocketCounter));
                }
                await Task.Delay(TimeSpan.FromSeconds(settle));
                Console.WriteLine(await MeasureAsync(server, $"{region.Width}x{region.Height}", pages, seconds));
                await browser.CloseContextsAsync();
            }
        }
        finally
        {
            foreach (BenchRegion region in regions)
            {
                region.Dispose();
            }
        }
        return 0;
    }

    private static string ConsoleId(BenchRegion region) => $"static{region.Height}";

    private static async Task<string> MeasureAsync(ServerUnderTest server, string frame, List<IPage> pages, int seconds)
    {
        (long presented0, long messages0, long received0) = await CountersAsync(pages);
        TimeSpan cpu0 = server.CpuTime();
        (TimeSpan busy0, TimeSpan total0) = ProcStat.MachineCpu();
        Dictionary<string, long> bytes0 = server.BytesSentPerConnection();
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        Dictionary<string, long> bytes1 = server.BytesSentPerConnection();
        TimeSpan cpu1 = server.CpuTime();
        (TimeSpan busy1, TimeSpan total1) = ProcStat.MachineCpu();
        double elapsed = clock.Elapsed.TotalSeconds;
        (long presented1, long messages1, long received1) = await CountersAsync(pages);

        double cpu = (cpu1 - cpu0).TotalSeconds;
        double machine = (busy1 - busy0) / (total1 - total0) * Environment.ProcessorCount * 100;
        return $"| {frame} | {pages.Count} | {cpu / elapsed * 100:F2} | {cpu * 1000:F0} | " +
            $"{TcpCounters.Delta(bytes0, bytes1):N0} | {bytes1.Count} | {messages1 - messages0} ({received1 - received0:N0}) | " +
            $"{presented1 - presented0} | {machine:F0} |";
    }

    /// <summary>Summed over the pages: updates presented, WebSocket messages received and their payload bytes.</summary>
    private static async Task<(long Presented, long Messages, long Bytes)> CountersAsync(List<IPage> pages)
    {
        long presented = 0, messages = 0, bytes = 0;
        foreach (IPage page in pages)
        {
            long[] counters = await page.EvaluateAsync<long[]>("() => [window.webConsole.framesPresented, window.__ws.messages, window.__ws.bytes]");
            presented += counters[0];
            messages += counters[1];
            bytes += counters[2];
        }
        return (presented, messages, bytes);
    }
}
