using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using WebConsole.Region;

namespace WebConsole.Bench;

/// <summary>
/// <c>latency</c>: from a producer's write to the pixel in Chromium. The producer flips a 32x32
/// marker between red and blue (alone, or with a new full-screen noise picture around it) and
/// notes the wall clock just before <c>Publish</c>; the page (<see cref="PageProbe.Latency"/>)
/// notes the wall clock of the animation frame in which the canvas first shows the new colour.
/// Both clocks are this machine's CLOCK_REALTIME. The same writes are also timed to a .NET
/// SignalR client (<see cref="HubViewer"/>), which isolates the server and the transport.
/// </summary>
internal sealed class LatencyBenchmark : IBenchmark
{
    private const int Marker = 32;
    private static readonly TimeSpan s_sampleTimeout = TimeSpan.FromSeconds(10);

    private static readonly (int Width, int Height)[] Sizes = [(1280, 720), (1920, 1080)];

    private static readonly (string Viewer, string Query)[] Decoders =
        [("Chromium, ImageDecoder", ""), ("Chromium, ImageDecoder, drawn at the next frame", "present=frame"),
            ("Chromium, createImageBitmap", "decoder=bitmap")];

    public string Name => "latency";

    public string Description => "end-to-end latency, region write to pixel in Chromium: 32x32 marker, full-screen noise [--samples N]";

    public int Run(ReadOnlySpan<string> args) => RunAsync(CommandLine.Int(args, "--samples", 60)).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(int samples)
    {
        var regions = new List<BenchRegion>();
        var qualities = new List<string>();
        try
        {
            foreach ((int width, int height) in Sizes)
            {
                var region = new BenchRegion($"latency{height}", width, height);
                regions.Add(region);
                ResetPicture(region);
            }
            await using ServerUnderTest server = await ServerUnderTest.StartAsync(regions.Select(r => (ConsoleId(r), r.Path)));
            await using BenchBrowser browser = await BenchBrowser.LaunchAsync();
            Console.WriteLine($"# latency: region write -> pixel read back from the canvas in Chromium {browser.Version} (headless, no GPU), " +
                $"and -> update received by a .NET SignalR client; {samples} samples per row, 60-160 ms apart at random; load average {MachineInfo.LoadAverage}");
            Console.WriteLine();
            Console.WriteLine("| Frame | Change | Viewer | p50 ms | p95 ms | min ms | max ms | samples | update KB | " +
                "p50 split: to page / decode / wait for frame / draw to read-back; drawing total ms | page frames/s | page clock - bench clock ms |");
            Console.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|");
            foreach (BenchRegion region in regions)
            {
                PixelRect marker = MarkerRect(region.Width, region.Height);
                // Full-screen noise: three pictures in turn, so every tile changes every time.
                var noise = new byte[3][];
                for (int i = 0; i < noise.Length; i++)
                {
                    noise[i] = new byte[region.Width * region.Height * 4];
                    new Random(20 + i).NextBytes(noise[i]);
                }

                // Sample s (1, 2, ...) turns the marker blue when odd, red when even.
                ResetPicture(region);
                await using (HubViewer viewer = await HubViewer.JoinAsync(server.BaseAddress, ConsoleId(region)))
                {
                    await viewer.NextAsync(); // the initial full frame
                    Console.WriteLine(HubRow(region, "32x32 marker", await MeasureHubAsync(viewer, region, marker, 1, samples, noise: null)));
                    Console.WriteLine(HubRow(region, "full-screen noise", await MeasureHubAsync(viewer, region, marker, 1 + samples, samples, noise)));
                }

                // The page decodes with ImageDecoder where it can (127.0.0.1 is a secure context);
                // the createImageBitmap fallback, used on plain-http remote origins, is measured too.
                foreach ((string viewerName, string query) in Decoders)
                {
                    ResetPicture(region);
                    IPage page = await browser.OpenConsoleAsync(
                        server.ConsoleUrl(ConsoleId(region), query), region.Width, region.Height, PageProbe.WebSocketCounter, PageProbe.DrawTrace);
                    await page.EvaluateAsync(PageProbe.Latency, new { x = marker.X + Marker / 2, y = marker.Y + Marker / 2 });
                    await WaitForSeenAsync(page, 1, 1, server); // red, as ResetPicture drew it; the page's record s + 1 is sample s
                    (double offset, double roundTrip) = await ClockOffsetAsync(page);
                    string clock = $"{offset.ToString("+0.00;-0.00", CultureInfo.InvariantCulture)} ± {roundTrip / 2:F2}";
                    var small = await MeasurePageAsync(page, region, server, marker, 1, samples, noise: null);
                    Console.WriteLine(PageRow(region, "32x32 marker", viewerName, small, await FramesPerSecondAsync(page), clock));
                    var noisy = await MeasurePageAsync(page, region, server, marker, 1 + samples, samples, noise);
                    Console.WriteLine(PageRow(region, "full-screen noise", viewerName, noisy, await FramesPerSecondAsync(page), clock));
                    qualities.Add($"{region.Width}x{region.Height} {viewerName}: q{await page.EvaluateAsync<int>("() => window.webConsole.stats.quality")}");
                    await browser.CloseContextsAsync();
                }
            }
        }
        finally
        {
            foreach (BenchRegion region in regions)
            {
                region.Dispose();
            }
        }
        Console.WriteLine();
        Console.WriteLine($"JPEG quality the server chose for the last full-screen noise sample: {string.Join("; ", qualities)}");
        return 0;
    }

    private static string ConsoleId(BenchRegion region) => $"latency{region.Height}";

    /// <summary>A 32x32 marker a little left of and above the centre, inside the terminal's text.</summary>
    private static PixelRect MarkerRect(int width, int height) => new(width / 2 - 72, height / 2 - 40, Marker, Marker);

    /// <summary>A desktop with a terminal, the marker red in the terminal's text.</summary>
    private static void ResetPicture(BenchRegion region)
    {
        Span<byte> pixels = region.Begin();
        region.CopyFrame(SyntheticFrame.Text(region.Width, region.Height).Bytes, pixels);
        region.Fill(pixels, MarkerRect(region.Width, region.Height), 0xFF, 0, 0);
        region.Publish();
    }

    private static async Task<(Distribution Total, Distribution Bytes)> MeasureHubAsync(
        HubViewer viewer, BenchRegion region, PixelRect marker, int first, int count, byte[][]? noise)
    {
        var random = new Random(first);
        var latencies = new double[count];
        var sizes = new double[count];
        for (int i = 0; i < count; i++)
        {
            await Task.Delay(random.Next(60, 161));
            viewer.Drain();
            double written = Write(region, marker, first + i, noise);
            (double at, long bytes) = await viewer.NextAsync();
            latencies[i] = at - written;
            sizes[i] = bytes;
        }
        return (new Distribution(latencies), new Distribution(sizes));
    }

    /// <returns>
    /// Write to pixel; its split (write to the update's arrival in the page, to the end of the
    /// last decode, to the last draw, to the read-back); update sizes.
    /// </returns>
    private static async Task<(Distribution Total, Distribution[] Split, Distribution Bytes)> MeasurePageAsync(
        IPage page, BenchRegion region, ServerUnderTest server, PixelRect marker, int first, int count, byte[][]? noise)
    {
        var random = new Random(first);
        var latencies = new double[count];
        var split = new double[5][];
        for (int s = 0; s < split.Length; s++)
        {
            split[s] = new double[count];
        }
        var sizes = new double[count];
        for (int i = 0; i < count; i++)
        {
            int sample = first + i;
            // Ask first, so nothing but the pipeline under test runs between the write and the pixel.
            Task<JsonElement> seen = page.EvaluateAsync<JsonElement>("n => window.__latencyProbe.waitFor(n)", sample + 1);
            await Task.Delay(random.Next(60, 161));
            double written = Write(region, marker, sample, noise);
            JsonElement record = await WaitAsync(seen, page, sample + 1, server);
            int colour = record.GetProperty("colour").GetInt32();
            if (colour != ColourOf(sample))
            {
                throw new InvalidOperationException($"sample {sample}: the page saw colour {colour}, expected {ColourOf(sample)}");
            }
            double at = record.GetProperty("at").GetDouble();
            latencies[i] = at - written;
            JsonElement breakdown = await page.EvaluateAsync<JsonElement>(PageProbe.Breakdown, new[] { written, at });
            double arrival = Number(breakdown, "arrival"), decoded = Number(breakdown, "decoded"), drawn = Number(breakdown, "drawn");
            split[0][i] = arrival - written;
            split[1][i] = decoded - arrival;
            split[2][i] = drawn - decoded;
            split[3][i] = at - drawn;
            split[4][i] = Number(breakdown, "drawing");
            sizes[i] = Number(breakdown, "bytes");
        }
        return (new Distribution(latencies), [.. split.Select(s => new Distribution(s.Where(double.IsFinite)))], new Distribution(sizes));
    }

    /// <summary>Draws sample <paramref name="sample"/> and publishes it; returns the wall clock (Unix ms) just before Publish.</summary>
    private static double Write(BenchRegion region, PixelRect marker, int sample, byte[][]? noise)
    {
        Span<byte> pixels = region.Begin();
        if (noise is not null)
        {
            region.CopyFrame(noise[sample % noise.Length], pixels);
        }
        if (ColourOf(sample) == 2)
        {
            region.Fill(pixels, marker, 0, 0, 0xFF);
        }
        else
        {
            region.Fill(pixels, marker, 0xFF, 0, 0);
        }
        double written = Clock.NowMs();
        if (noise is null)
        {
            region.Publish(marker);
        }
        else
        {
            region.Publish();
        }
        return written;
    }

    /// <summary>1 (red) or 2 (blue), as the probe classifies them.</summary>
    private static int ColourOf(int sample) => sample % 2 == 1 ? 2 : 1;

    private static async Task WaitForSeenAsync(IPage page, int n, int colour, ServerUnderTest server)
    {
        JsonElement record = await WaitAsync(page.EvaluateAsync<JsonElement>("n => window.__latencyProbe.waitFor(n)", n), page, n, server);
        if (record.GetProperty("colour").GetInt32() != colour)
        {
            throw new InvalidOperationException($"the page's marker starts as colour {record.GetProperty("colour")}, expected {colour}");
        }
    }

    private static async Task<JsonElement> WaitAsync(Task<JsonElement> seen, IPage page, int n, ServerUnderTest server)
    {
        try
        {
            return await seen.WaitAsync(s_sampleTimeout);
        }
        catch (TimeoutException e)
        {
            string hook = await page.EvaluateAsync<string>(
                "() => JSON.stringify({ hook: window.webConsole, seen: window.__latencyProbe.seen.length, updates: window.webConsole.updates.slice(-3) })");
            throw new TimeoutException($"the page never showed marker change {n} within {s_sampleTimeout.TotalSeconds} s; page: {hook}\nserver log:\n{server.Log}", e);
        }
    }

    /// <summary>
    /// The page's wall clock minus ours, from the round trip with the smallest duration: a sanity
    /// check that both sides read the same clock (the error bound is half that round trip).
    /// </summary>
    private static async Task<(double Offset, double RoundTrip)> ClockOffsetAsync(IPage page)
    {
        double best = double.MaxValue, offset = 0;
        for (int i = 0; i < 20; i++)
        {
            double before = Clock.NowMs();
            double pageNow = await page.EvaluateAsync<double>("() => performance.timeOrigin + performance.now()");
            double after = Clock.NowMs();
            if (after - before < best)
            {
                best = after - before;
                offset = pageNow - (before + after) / 2;
            }
        }
        return (offset, best);
    }

    private static Task<double> FramesPerSecondAsync(IPage page) => page.EvaluateAsync<double>("() => window.__latencyProbe.framesPerSecond()");

    /// <summary>JSON turns NaN into null.</summary>
    private static double Number(JsonElement element, string name) =>
        element.GetProperty(name).ValueKind == JsonValueKind.Number ? element.GetProperty(name).GetDouble() : double.NaN;

    private static string PageRow(
        BenchRegion region, string change, string viewer, (Distribution Total, Distribution[] Split, Distribution Bytes) d, double framesPerSecond, string clock) =>
        $"| {region.Width}x{region.Height} | {change} | {viewer} | {d.Total.Median:F1} | {d.Total.P95:F1} | {d.Total.Min:F1} | {d.Total.Max:F1} | {d.Total.Count} | " +
        $"{d.Bytes.Median / 1024:F1} | {string.Join(" / ", d.Split.Select(s => s.Median.ToString("F1", CultureInfo.InvariantCulture)))} | " +
        $"{framesPerSecond:F1} | {clock} |";

    private static string HubRow(BenchRegion region, string change, (Distribution Total, Distribution Bytes) d) =>
        $"| {region.Width}x{region.Height} | {change} | .NET SignalR client | {d.Total.Median:F1} | {d.Total.P95:F1} | {d.Total.Min:F1} | {d.Total.Max:F1} | " +
        $"{d.Total.Count} | {d.Bytes.Median / 1024:F1} | - | - | - |";
}
