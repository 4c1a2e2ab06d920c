using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using WebConsole.Bench.X11;

namespace WebConsole.Bench;

/// <summary>
/// <c>peers</c>: one X workload, painted by the bench's own X client (<see cref="XPainter"/>) on
/// the root window, seen in one Chromium through WebConsole (an Xvfb, <c>xwd:</c> or another X
/// source) and through TigerVNC (Xvnc + websockify + noVNC's vnc_lite.html), both at 1:1. Each
/// workload runs on every peer in turn, on a fresh page, before the next workload starts; the
/// peer not measured has no viewer. Latencies start at the wall clock right after XSync and end
/// in the page (<see cref="PageProbe.CanvasDraws"/>) at the draw call that first put the new
/// colour on the canvas and at the first animation frame that showed it; both clocks are this
/// machine's CLOCK_REALTIME. CPU comes from /proc for the X server and for the serving process
/// (WebConsole's server; websockify with its per-connection children), as % of one core over the
/// workload's window.
/// </summary>
internal sealed class PeersBenchmark : IBenchmark
{
    private const string Reference = "TigerVNC + noVNC";
    private const int Square = 32;
    private const int WarmUpSamples = 15;
    private const int ProbeBlock = 64;
    private static readonly TimeSpan s_sampleTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_warmUp = TimeSpan.FromSeconds(3);

    /// <summary>Sample i paints Palette[i % Length]: each differs from the one before (and from black) by far more than the probe's tolerance.</summary>
    private static readonly uint[] s_palette = [0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0xFF00FF, 0x00FFFF, 0xFF8000, 0xFFFFFF, 0x8000FF, 0x00FF80];

    public string Name => "peers";

    public string Description =>
        "the same X workload on WebConsole (Xvfb) and TigerVNC + noVNC, side by side in Chromium [--samples N] [--size WxH] [--sources xwd,x11] " +
        "[--seconds N] [--idle-seconds N] [--screenshots DIR]";

    public int Run(ReadOnlySpan<string> args)
    {
        string[] size = CommandLine.String(args, "--size", "1280x720").Split('x');
        var options = new PeersOptions(
            CommandLine.Int(args, "--samples", 40),
            int.Parse(size[0], CultureInfo.InvariantCulture),
            int.Parse(size[1], CultureInfo.InvariantCulture),
            CommandLine.String(args, "--sources", "xwd").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            CommandLine.Int(args, "--seconds", 10),
            CommandLine.Int(args, "--idle-seconds", 10),
            CommandLine.String(args, "--screenshots", ""));
        return RunAsync(options).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(PeersOptions options)
    {
        int width = options.Width, height = options.Height;
        var peers = new List<IPeer>();
        var painters = new Dictionary<IPeer, XPainter>();
        var skipped = new List<string>();
        try
        {
            foreach (string source in options.Sources)
            {
                try
                {
                    peers.Add(await WebConsolePeer.StartAsync(source, width, height));
                }
                catch (PeerUnavailableException e)
                {
                    skipped.Add($"- WebConsole {source}: skipped, {e.Message}");
                }
            }
            try
            {
                peers.Add(TigerVncPeer.Start(width, height));
            }
            catch (PeerUnavailableException e)
            {
                skipped.Add($"- {Reference}: skipped, {e.Message} (no ratios)");
            }
            foreach (IPeer peer in peers)
            {
                painters[peer] = new XPainter(peer.Display);
            }
            await using BenchBrowser browser = await BenchBrowser.LaunchAsync();
            Console.WriteLine($"# peers: an X client paints on the root window of each peer's X server ({width}x{height}x24); Chromium {browser.Version} " +
                "(headless, no GPU) shows each peer's page at 1:1. Each workload runs on every peer in turn (columns left to right, a fresh page each), " +
                $"then the next workload; {options.Samples} latency samples per workload after {WarmUpSamples} unmeasured ones, 60-160 ms apart at random (the same sequence for every peer)");
            Console.WriteLine($"# machine: {MachineInfo.Describe()}; load average {MachineInfo.LoadAverage}");
            foreach (string line in skipped)
            {
                Console.WriteLine(line);
            }
            Console.WriteLine();

            var workloads = new (string Title, Func<BenchBrowser, IPeer, XPainter, PeerTable, PeersOptions, Task> Run)[]
            {
                ($"32x32 square of a new colour on black", (b, p, x, t, o) => LatencyAsync(b, p, x, t, o, PeerChange.Square)),
                ("full-screen solid fill, a new colour each sample", (b, p, x, t, o) => LatencyAsync(b, p, x, t, o, PeerChange.Solid)),
                ($"full-screen noise (3 random pictures in turn) with a {ProbeBlock}x{ProbeBlock} solid probe block", (b, p, x, t, o) => LatencyAsync(b, p, x, t, o, PeerChange.Noise)),
                ($"{XAnimation.Width}x{XAnimation.Height} animation at {AnimationBenchmark.FramesPerSecond} fps, frame counter at two corners " +
                    $"({s_warmUp.TotalSeconds:F0} s warm-up, {options.Seconds} s measured)", AnimationAsync),
                ($"idle: nothing painted for {options.IdleSeconds} s, one page watching", IdleAsync),
            };
            var tables = new List<PeerTable>();
            var broken = new HashSet<IPeer>();
            foreach ((string title, Func<BenchBrowser, IPeer, XPainter, PeerTable, PeersOptions, Task> run) in workloads)
            {
                Console.WriteLine($"## {title}");
                Console.WriteLine();
                var table = new PeerTable(peers.Select(p => p.Name), Reference);
                tables.Add(table);
                var failures = new List<string>();
                foreach (IPeer peer in peers)
                {
                    if (broken.Contains(peer))
                    {
                        continue;
                    }
                    try
                    {
                        await run(browser, peer, painters[peer], table, options);
                    }
                    catch (PeerUnavailableException e)
                    {
                        // A console the server accepted but cannot show (an X source that fails on this server, say): say so once, not per workload.
                        broken.Add(peer);
                        failures.Add($"- {peer.Name}: skipped from here on, {e.Message}");
                        Console.Error.WriteLine($"{peer.Name}: {e}\n{peer.Log}");
                    }
                    catch (TimeoutException e)
                    {
                        failures.Add($"- {peer.Name}: {e.Message.Split('\n')[0]}");
                        Console.Error.WriteLine($"{peer.Name}: {e}\n{peer.Log}");
                    }
                    finally
                    {
                        await browser.CloseContextsAsync();
                    }
                }
                table.Print(Console.Out);
                foreach (string failure in failures)
                {
                    Console.WriteLine(failure);
                }
                Console.WriteLine();
            }
            PeerTargets.Print(Console.Out, peers.Where(p => !broken.Contains(p)).Select(p => p.Name).Where(p => p != Reference), Reference, tables[0], tables[1], tables[2], tables[3], tables[4]);
        }
        finally
        {
            foreach (XPainter painter in painters.Values)
            {
                painter.Dispose();
            }
            foreach (IPeer peer in peers)
            {
                await peer.DisposeAsync();
            }
        }
        return 0;
    }

    private static async Task LatencyAsync(BenchBrowser browser, IPeer peer, XPainter painter, PeerTable table, PeersOptions options, PeerChange change)
    {
        int width = options.Width, height = options.Height;
        // The square near the centre, 8-aligned as a glyph would be; the noise's probe block on the 64 grid, so a tiling encoder can see it solid.
        int squareX = width / 2 & ~7, squareY = height / 2 & ~7;
        int blockX = width / 2 & ~(ProbeBlock - 1), blockY = height / 2 & ~(ProbeBlock - 1);
        (int probeX, int probeY) = change == PeerChange.Noise ? (blockX + ProbeBlock / 2, blockY + ProbeBlock / 2) : (squareX + Square / 2, squareY + Square / 2);
        var noise = new XImageBuffer[change == PeerChange.Noise ? 3 : 0];
        try
        {
            for (int i = 0; i < noise.Length; i++)
            {
                noise[i] = painter.CreateImage(width, height);
                new Random(20 + i).NextBytes(noise[i].Pixels);
            }
            painter.Fill(0, 0, width, height, 0);
            _ = painter.Sync();
            IPage page = await OpenAsync(browser, peer, options);
            // The first record: the probe pixel black, as painted above.
            await SampleAsync(page, probeX, probeY, 0, () => Clock.NowMs(), peer);

            var random = new Random(12);
            var draws = new List<double>();
            var frames = new List<double>();
            int missed = 0;
            PeerWindow? window = null;
            // The first WarmUpSamples are not measured: a server just started spends its first
            // seconds compiling (tiered JIT), which is not what a change costs.
            for (int i = -WarmUpSamples; i < options.Samples; i++)
            {
                if (i == 0)
                {
                    draws.Clear();
                    frames.Clear();
                    missed = 0;
                    window = await PeerWindow.StartAsync(peer, page);
                }
                uint colour = s_palette[(i + WarmUpSamples) % s_palette.Length];
                int delay = random.Next(60, 161);
                (double draw, double frame) = await SampleAsync(page, probeX, probeY, colour, () =>
                {
                    switch (change)
                    {
                        case PeerChange.Square:
                            painter.Fill(squareX, squareY, Square, Square, colour);
                            break;
                        case PeerChange.Solid:
                            painter.Fill(0, 0, width, height, colour);
                            break;
                        default:
                            painter.Put(noise[(i + WarmUpSamples) % noise.Length], 0, 0);
                            painter.Fill(blockX, blockY, ProbeBlock, ProbeBlock, colour);
                            break;
                    }
                    return painter.Sync();
                }, peer, delay, throwOnTimeout: false);
                if (double.IsNaN(frame))
                {
                    missed++;
                    continue;
                }
                frames.Add(frame);
                if (double.IsFinite(draw))
                {
                    draws.Add(draw);
                }
            }
            await window!.EndAsync(peer, page);
            var drawn = new Distribution(draws);
            var shown = new Distribution(frames);
            table.Set("canvas draw p50 ms", peer.Name, drawn.Median);
            table.Set("canvas draw p95 ms", peer.Name, drawn.P95);
            table.Set("first frame p50 ms", peer.Name, shown.Median);
            table.Set("first frame p95 ms", peer.Name, shown.P95);
            table.Set("samples seen", peer.Name, shown.Count, "F0");
            table.Set("of which the draw call was caught", peer.Name, drawn.Count, "F0");
            table.Set("samples missed (not seen within 5 s)", peer.Name, missed, "F0");
            window.SetRows(table, peer);
            await ScreenshotAsync(page, peer, change.ToString().ToLowerInvariant(), options);
        }
        finally
        {
            foreach (XImageBuffer image in noise)
            {
                image?.Dispose();
            }
        }
    }

    /// <summary>
    /// Arms the page's probe for <paramref name="colour"/> at (x, y), waits <paramref name="delay"/> ms, paints
    /// (<paramref name="paint"/> returns the wall clock right after XSync), and returns the draw and the frame latency (NaN when not seen).
    /// </summary>
    private static async Task<(double Draw, double Frame)> SampleAsync(
        IPage page, int x, int y, uint colour, Func<double> paint, IPeer peer, int delay = 0, bool throwOnTimeout = true)
    {
        await page.EvaluateAsync("a => window.__peers.arm(a)", new { x, y, rgb = (int)colour });
        Task<JsonElement> seen = page.EvaluateAsync<JsonElement>("() => window.__peers.seen()");
        if (delay > 0)
        {
            await Task.Delay(delay);
        }
        double synced = paint();
        JsonElement record;
        try
        {
            record = await seen.WaitAsync(s_sampleTimeout);
        }
        catch (TimeoutException e)
        {
            int pixel = await page.EvaluateAsync<int>("() => window.__peers.pixel()");
            string message = $"{peer.Name}: the canvas never showed 0x{colour:X6} at ({x},{y}) within {s_sampleTimeout.TotalSeconds} s; it shows 0x{pixel:X6}";
            if (throwOnTimeout)
            {
                throw new TimeoutException(message, e);
            }
            Console.Error.WriteLine(message);
            return (double.NaN, double.NaN);
        }
        JsonElement draw = record.GetProperty("draw");
        return (draw.ValueKind == JsonValueKind.Number ? draw.GetDouble() - synced : double.NaN, record.GetProperty("frame").GetDouble() - synced);
    }

    private static async Task AnimationAsync(BenchBrowser browser, IPeer peer, XPainter painter, PeerTable table, PeersOptions options)
    {
        painter.Fill(0, 0, options.Width, options.Height, 0);
        _ = painter.Sync();
        IPage page = await OpenAsync(browser, peer, options);
        using var animation = new XAnimation(painter, (options.Width - XAnimation.Width) / 2 & ~15, (options.Height - XAnimation.Height) / 2 & ~15);
        animation.Start();
        try
        {
            await page.EvaluateAsync(PageProbe.CanvasAnimation, new { corners = animation.Corners, block = XAnimation.Block, blocks = XAnimation.Blocks });
            await Task.Delay(s_warmUp);
            await page.EvaluateAsync("() => window.__peerAnimation.reset()");
            long published0 = animation.Published;
            PeerWindow window = await PeerWindow.StartAsync(peer, page);
            await Task.Delay(TimeSpan.FromSeconds(options.Seconds));
            JsonElement summary = await page.EvaluateAsync<JsonElement>("() => window.__peerAnimation.summary()");
            long published = animation.Published - published0;
            await window.EndAsync(peer, page);
            await ScreenshotAsync(page, peer, "animation", options);
            double seconds = summary.GetProperty("seconds").GetDouble();
            table.Set("produced fps (XPutImage + XSync)", peer.Name, published / window.Seconds);
            table.Set("delivered fps (distinct frame ids shown)", peer.Name, summary.GetProperty("delivered").GetInt32() / seconds);
            table.Set("untorn fps (ids shown at both corners at once)", peer.Name, summary.GetProperty("untorn").GetInt32() / seconds);
            table.Set("torn canvas states", peer.Name, summary.GetProperty("torn").GetInt32(), "F0");
            window.SetRows(table, peer);
            if (summary.GetProperty("torn").GetInt32() > 0)
            {
                Console.Error.WriteLine($"{peer.Name}: torn frames (counters at the two corners): {summary.GetProperty("tornExamples")}");
            }
        }
        finally
        {
            animation.Stop();
        }
        if (animation.Failure is not null)
        {
            throw new InvalidOperationException("the X animation failed", animation.Failure);
        }
    }

    private static async Task IdleAsync(BenchBrowser browser, IPeer peer, XPainter painter, PeerTable table, PeersOptions options)
    {
        painter.Fill(0, 0, options.Width, options.Height, 0);
        painter.Fill(options.Width / 2 & ~7, options.Height / 2 & ~7, Square, Square, 0xFFFFFF);
        _ = painter.Sync();
        IPage page = await OpenAsync(browser, peer, options);
        // Let the page's first frames and any refinement settle before the window opens.
        await Task.Delay(TimeSpan.FromSeconds(2));
        PeerWindow window = await PeerWindow.StartAsync(peer, page);
        await Task.Delay(TimeSpan.FromSeconds(options.IdleSeconds));
        await window.EndAsync(peer, page);
        window.SetRows(table, peer, "F2", kilobytes: true);
    }

    private static async Task<IPage> OpenAsync(BenchBrowser browser, IPeer peer, PeersOptions options)
    {
        try
        {
            // On a timeout the page's status line (WebConsole's status or vnc_lite's) says why in a few words.
            return await browser.OpenPageAsync(peer.PageUrl, options.Width, options.Height, peer.Ready,
                "() => 'page status: ' + String(window.webConsole?.status ?? document.getElementById('status')?.textContent ?? document.title)",
                PageProbe.WebSocketCounter, PageProbe.CanvasDraws);
        }
        catch (TimeoutException e)
        {
            throw new PeerUnavailableException(e.Message, e);
        }
    }

    private static async Task ScreenshotAsync(IPage page, IPeer peer, string workload, PeersOptions options)
    {
        if (options.Screenshots.Length == 0)
        {
            return;
        }
        Directory.CreateDirectory(options.Screenshots);
        string name = new([.. peer.Name.Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')]);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(options.Screenshots, $"{name}-{workload}.png") });
    }
}
