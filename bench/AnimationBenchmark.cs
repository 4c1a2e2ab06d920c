using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;
using WebConsole.Region;

namespace WebConsole.Bench;

/// <summary>
/// <c>animation</c>: a 640x360 area redrawn at 60 Hz (a panning photo-like picture, like a
/// video) with a frame counter spelled in colour blocks at its four corners. One viewer; over the
/// window the page counts updates presented and distinct counters shown, and checks on every
/// new frame that the four corners agree (a torn frame would mix two counters). The server's
/// cost is read from outside: bytes sent from the kernel's TCP counters, CPU from /proc.
/// </summary>
internal sealed class AnimationBenchmark : IBenchmark
{
    internal const int AreaWidth = 640;
    internal const int AreaHeight = 360;
    private const int Block = 16;
    private const int Blocks = 4; // 3 bits each: a 12-bit counter
    internal const int FramesPerSecond = 60;
    private const int PanPerFrame = 4;

    private static readonly (int Width, int Height)[] Sizes = [(1280, 720), (1920, 1080)];

    /// <summary>The animated area, the same on both screens: inside the terminal, 16-aligned, crossing the 512-pixel band edge so it spans two rectangles.</summary>
    private static readonly PixelRect s_area = new(320, 192, AreaWidth, AreaHeight);

    public string Name => "animation";

    public string Description => "640x360 area animated at 60 Hz, one viewer: FPS delivered, tearing, Mbit/s, server CPU [--seconds N] [--warmup N]";

    public int Run(ReadOnlySpan<string> args) =>
        RunAsync(CommandLine.Int(args, "--seconds", 10), TimeSpan.FromSeconds(CommandLine.Int(args, "--warmup", 15))).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(int seconds, TimeSpan warmUp)
    {
        var regions = new List<BenchRegion>();
        try
        {
            foreach ((int width, int height) in Sizes)
            {
                var region = new BenchRegion($"animation{height}", width, height);
                regions.Add(region);
                Span<byte> pixels = region.Begin();
                region.CopyFrame(SyntheticFrame.Text(width, height).Bytes, pixels);
                region.Publish();
            }
            await using ServerUnderTest server = await ServerUnderTest.StartAsync(regions.Select(r => (ConsoleId(r), r.Path)));
            await using BenchBrowser browser = await BenchBrowser.LaunchAsync();
            // Three times the area's width: the pan wraps every 320 frames.
            SyntheticFrame texture = SyntheticFrame.Photo(AreaWidth * 3, AreaHeight);

            Console.WriteLine($"# animation: {AreaWidth}x{AreaHeight} area at ({s_area.X},{s_area.Y}) panning {PanPerFrame} px/frame, " +
                $"produced at {FramesPerSecond} Hz; one viewer (Chromium {browser.Version}); {warmUp.TotalSeconds:F0} s warm-up, {seconds} s measured; load average {MachineInfo.LoadAverage}");
            Console.WriteLine();
            Console.WriteLine("| Frame | Produced fps | Updates presented/s | Distinct frames shown/s | Torn | Counters skipped | Mbit/s (server TCP) | Mbit/s (page WebSocket payload) | KB/update | " +
                "Server CPU % of one core | Server CPU ms/update | Machine busy % (2 cores = 200) | JPEG quality chosen | After the motion stops: exact after ms | refresh KB |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (BenchRegion region in regions)
            {
                using var producer = new AnimatedProducer(region, s_area, texture);
                producer.Start();
                IPage page = await browser.OpenConsoleAsync(server.ConsoleUrl(ConsoleId(region)), region.Width, region.Height, PageProbe.WebSocketCounter);
                PixelRect area = s_area;
                int[][] corners =
                [
                    [area.X, area.Y],
                    [area.Right - Block * Blocks, area.Y],
                    [area.X, area.Bottom - Block],
                    [area.Right - Block * Blocks, area.Bottom - Block],
                ];
                await page.EvaluateAsync(PageProbe.Animation, new { corners, block = Block, blocks = Blocks });
                await Task.Delay(warmUp);

                await page.EvaluateAsync("() => window.__animationProbe.reset()");
                double received0 = await page.EvaluateAsync<double>("() => window.__ws.bytes");
                long produced0 = producer.Published;
                TimeSpan cpu0 = server.CpuTime();
                (TimeSpan busy0, TimeSpan total0) = ProcStat.MachineCpu();
                Dictionary<string, long> bytes0 = server.BytesSentPerConnection();
                var clock = Stopwatch.StartNew();
                await Task.Delay(TimeSpan.FromSeconds(seconds));
                Dictionary<string, long> bytes1 = server.BytesSentPerConnection();
                TimeSpan cpu1 = server.CpuTime();
                (TimeSpan busy1, TimeSpan total1) = ProcStat.MachineCpu();
                double elapsed = clock.Elapsed.TotalSeconds;
                long produced1 = producer.Published;
                JsonElement summary = await page.EvaluateAsync<JsonElement>("() => window.__animationProbe.summary()");
                double received = await page.EvaluateAsync<double>("() => window.__ws.bytes") - received0;
                int quality = await page.EvaluateAsync<int>("() => window.webConsole.stats.quality");
                double refresh0 = await page.EvaluateAsync<double>("() => window.webConsole.stats.refreshBytes");
                producer.Stop();
                // The lossless refresh: how long until the page shows no JPEG pixels, and what it cost.
                var settling = Stopwatch.StartNew();
                await page.WaitForFunctionAsync("() => window.webConsole.stats.lossyShare === 0", null,
                    new PageWaitForFunctionOptions { PollingInterval = 10, Timeout = 30_000 });
                double exactAfterMs = settling.Elapsed.TotalMilliseconds;
                double refreshKb = (await page.EvaluateAsync<double>("() => window.webConsole.stats.refreshBytes") - refresh0) / 1024;

                double pageSeconds = summary.GetProperty("seconds").GetDouble();
                int presented = summary.GetProperty("presented").GetInt32();
                int distinct = summary.GetProperty("distinct").GetInt32();
                int torn = summary.GetProperty("torn").GetInt32();
                int skipped = summary.GetProperty("skipped").GetInt32();
                long bytes = TcpCounters.Delta(bytes0, bytes1);
                double cpu = (cpu1 - cpu0).TotalSeconds;
                double machine = (busy1 - busy0) / (total1 - total0) * Environment.ProcessorCount * 100;
                Console.WriteLine($"| {region.Width}x{region.Height} | {(produced1 - produced0) / elapsed:F1} | {presented / pageSeconds:F1} | " +
                    $"{distinct / pageSeconds:F1} | {torn} | {skipped} | {bytes * 8 / elapsed / 1e6:F1} | {received * 8 / pageSeconds / 1e6:F1} | {(presented > 0 ? bytes / 1024.0 / presented : 0):F1} | " +
                    $"{cpu / elapsed * 100:F1} | {(presented > 0 ? cpu * 1000 / presented : double.NaN):F2} | {machine:F0} | q{quality} | {exactAfterMs:F0} | {refreshKb:F0} |");
                if (torn > 0)
                {
                    Console.WriteLine($"  torn frames (counters at the four corners): {summary.GetProperty("tornExamples")}");
                }
                if (producer.Failure is not null)
                {
                    throw new InvalidOperationException("the producer failed", producer.Failure);
                }
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

    private static string ConsoleId(BenchRegion region) => $"animation{region.Height}";

    /// <summary>Colour block <paramref name="k"/> of <paramref name="counter"/>: bits 3k, 3k+1, 3k+2 switch R, G, B fully on or off.</summary>
    internal static (byte R, byte G, byte B) BlockColour(int counter, int k)
    {
        int bits = (counter >> (3 * k)) & 7;
        return ((bits & 1) != 0 ? (byte)0xFF : (byte)0, (bits & 2) != 0 ? (byte)0xFF : (byte)0, (bits & 4) != 0 ? (byte)0xFF : (byte)0);
    }

    internal static void DrawCounter(BenchRegion region, Span<byte> pixels, PixelRect area, int counter)
    {
        Span<(int X, int Y)> corners =
        [
            (area.X, area.Y),
            (area.Right - Block * Blocks, area.Y),
            (area.X, area.Bottom - Block),
            (area.Right - Block * Blocks, area.Bottom - Block),
        ];
        foreach ((int x, int y) in corners)
        {
            for (int k = 0; k < Blocks; k++)
            {
                (byte r, byte g, byte b) = BlockColour(counter, k);
                region.Fill(pixels, new PixelRect(x + k * Block, y, Block, Block), r, g, b);
            }
        }
    }

    internal static int PanOffset(int frame, int textureWidth) => frame * PanPerFrame % (textureWidth - AreaWidth);
}
