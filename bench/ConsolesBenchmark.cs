using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Playwright;

namespace WebConsole.Bench;

/// <summary>
/// <c>consoles</c>: a host with many VMs (issue 20). One server with N region consoles (each a real
/// region under /dev/shm that a producer published one frame in; the producers are this process and
/// do nothing while the consoles are idle) against a baseline server with one, so that what a
/// console costs is (N server - baseline) / (N - 1). For each: resident memory (settled), CPU per
/// second over a window, threads and file descriptors, all idle and unwatched, before and after the
/// console list and its thumbnails looked at every console; the time of <c>GET /api/consoles</c>
/// and of the list page at / until every thumbnail is shown (Chromium), and of fetching every
/// thumbnail as a browser would (6 connections). Then W consoles watched by hub viewers while their
/// producers change a 64x64 square a few times a second, and the same once they leave.
/// </summary>
internal sealed class ConsolesBenchmark : IBenchmark
{
    private static readonly TimeSpan s_settleLimit = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(4);
    // Watched: first frames, the lossless refresh, and tiered compilation of the streaming paths
    // (the JIT took most of a 3 s window after 4 s).
    private static readonly TimeSpan s_warmUp = TimeSpan.FromSeconds(10);

    public string Name => "consoles";

    public string Description => "N idle region consoles in one server vs one: RSS, CPU, threads, fds per console, list and thumbnail times, then W watched [--count 200] [--watched 20] [--seconds 10] [--size 640x480] [--rate 5] [--libvirt 0: also L libvirt p2p guests (TCG) in the N-console server, as root]";

    public int Run(ReadOnlySpan<string> args)
    {
        string[] size = CommandLine.String(args, "--size", "640x480").Split('x');
        return RunAsync(CommandLine.Int(args, "--count", 200), CommandLine.Int(args, "--watched", 20), CommandLine.Int(args, "--seconds", 10),
            int.Parse(size[0], CultureInfo.InvariantCulture), int.Parse(size[1], CultureInfo.InvariantCulture),
            CommandLine.Int(args, "--rate", 5), CommandLine.Int(args, "--libvirt", 0)).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int count, int watched, int seconds, int width, int height, int rate, int guests)
    {
        watched = Math.Min(watched, count);
        // libvirt p2p guests beside the regions, in the N-console server only: its consoles are then N + L.
        using WebConsole.Testing.LibvirtHost? libvirt = guests > 0 ? new WebConsole.Testing.LibvirtHost(RepoLayout.Root) : null;
        for (int g = 0; g < guests; g++)
        {
            libvirt!.Define(p2p: true);
        }
        if (guests > 0)
        {
            Console.WriteLine($"# plus {guests} libvirt p2p domains (TCG, the test guest, 256 MiB each) in the {count}-console server (Libvirt:Uri={WebConsole.Testing.LibvirtHost.Uri})");
        }
        Console.WriteLine($"# consoles: {count} region consoles of {width}x{height} in one server vs 1 in another; windows of {seconds} s; " +
            $"{watched} watched by hub viewers with a 64x64 square changing {rate} times a second each; load average {MachineInfo.LoadAverage}");
        Console.WriteLine($"# {MachineInfo.Describe()}");
        Console.WriteLine("# RSS settled (moved < 1 MiB over 3 s); anon = heaps and private buffers, shmem = region pages the server touched; CPU = utime + stime of /proc/PID/stat");
        var regions = new List<BenchRegion>(count);
        try
        {
            SyntheticFrame screen = SyntheticFrame.Text(width, height);
            for (int i = 0; i < count; i++)
            {
                var region = new BenchRegion(Id(i), width, height);
                regions.Add(region);
                region.CopyFrame(screen.Bytes, region.Begin());
                region.Publish();
            }

            await using BenchBrowser browser = await BenchBrowser.LaunchAsync();
            var rows = new List<Row>();
            var timings = new List<string>();
            var busiest = new List<string>();
            Row? baselineFresh = null, baselineListed = null, baselinePage = null;
            foreach (int n in new[] { 1, count })
            {
                int withLibvirt = n == 1 ? 0 : guests;
                string[] extra = withLibvirt > 0 ? ["--Libvirt:Uri=" + WebConsole.Testing.LibvirtHost.Uri, "--Libvirt:Domains:0=" + WebConsole.Testing.LibvirtHost.Pattern] : [];
                await using ServerUnderTest server = await ServerUnderTest.StartWithSourcesAsync(
                    regions.Take(n).Select(r => (Id(regions.IndexOf(r)), $"region:{r.Path}")), extra);
                int pid = server.ProcessId;
                string label = n == 1 ? "baseline, 1 console" : withLibvirt > 0 ? $"{n} consoles + {withLibvirt} libvirt" : $"{n} consoles";
                if (withLibvirt > 0)
                {
                    Console.WriteLine($"# {withLibvirt} libvirt consoles listed ready after {await WaitForReadyAsync(server, n + withLibvirt):F0} ms");
                }

                Row fresh = await MeasureAsync(pid, $"{label}: idle, never listed", n, 0, seconds, busiest);
                rows.Add(fresh);

                timings.Add(await TimeListAsync(server, n + withLibvirt));
                timings.Add(await TimeThumbnailsAsync(server, n));
                timings.Add(await TimePageAsync(server, browser, n + withLibvirt));
                await OpenPageAsync(server, browser, n + withLibvirt);
                Row page = await MeasureAsync(pid, $"{label}: list page open in Chromium", n, 0, seconds, busiest, settle: false);
                rows.Add(page);
                await browser.CloseContextsAsync();
                Row listed = await MeasureAsync(pid, $"{label}: idle, after list + thumbnails", n, 0, seconds, busiest);
                rows.Add(listed);
                if (n == 1)
                {
                    baselineFresh = fresh;
                    baselineListed = listed;
                    baselinePage = page;
                    continue;
                }

                var viewers = new List<HubViewer>(watched);
                using (var producers = new ChangingProducers(regions.Take(watched).ToList(), rate))
                {
                    try
                    {
                        for (int i = 0; i < watched; i++)
                        {
                            viewers.Add(await HubViewer.JoinAsync(server.BaseAddress, Id(i)));
                        }
                        producers.Start();
                        await Task.Delay(s_warmUp);
                        foreach (HubViewer viewer in viewers)
                        {
                            viewer.Drain();
                        }
                        long published = producers.Published;
                        Row live = await MeasureAsync(pid, $"{label}: {watched} watched, changing", n, watched, seconds, busiest, settle: false);
                        long updates = viewers.Sum(v => (long)v.Drain());
                        live = live with
                        {
                            UpdatesPerSecond = updates / live.Seconds,
                            PublishedPerSecond = (producers.Published - published) / live.Seconds,
                        };
                        rows.Add(live);
                        producers.Stop();
                        if (producers.Failure is not null)
                        {
                            throw new InvalidOperationException($"the producers stopped: {producers.Failure.Message}", producers.Failure);
                        }
                    }
                    finally
                    {
                        foreach (HubViewer viewer in viewers)
                        {
                            await viewer.DisposeAsync();
                        }
                    }
                }
                rows.Add(await MeasureAsync(pid, $"{label}: idle again, viewers gone", n, 0, seconds, busiest));
            }

            Console.WriteLine();
            Console.WriteLine("| Server | RSS MiB | anon MiB | shmem MiB | CPU ms/s | Threads | Fds | Updates sent/s | Frames published/s |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (Row row in rows)
            {
                Console.WriteLine($"| {row.Name} | {row.Footprint.RssMiB:F1} | {row.Footprint.AnonMiB:F1} | {row.Footprint.ShmemMiB:F1} | {row.CpuMsPerSecond:F1} | " +
                    $"{row.Footprint.Threads} | {row.Footprint.Fds} | {Optional(row.UpdatesPerSecond)} | {Optional(row.PublishedPerSecond)} |");
            }

            Row manyFresh = rows.Single(r => r.Consoles == count && r.Name.EndsWith("never listed", StringComparison.Ordinal));
            Row manyListed = rows.Single(r => r.Consoles == count && r.Name.EndsWith("after list + thumbnails", StringComparison.Ordinal));
            Row manyLive = rows.Single(r => r.Watched > 0);
            Row manyAfter = rows.Single(r => r.Consoles == count && r.Name.EndsWith("viewers gone", StringComparison.Ordinal));
            int others = Math.Max(1, count + guests - 1);
            Console.WriteLine();
            Console.WriteLine($"| Per console ((N - baseline) / {others}) | RSS KiB | anon KiB | shmem KiB | CPU ms/s | Threads | Fds |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            PerRow("idle, never listed", manyFresh, baselineFresh!, others);
            PerRow("list page open (it refreshes every thumbnail every 2 s)", rows.Single(r => r.Consoles == count && r.Name.EndsWith("page open in Chromium", StringComparison.Ordinal)), baselinePage!, others);
            PerRow("idle, after list + thumbnails", manyListed, baselineListed!, others);
            PerRow("idle, after being watched", manyAfter, baselineListed!, others);
            Console.WriteLine($"| per watched console ({watched} watched - idle listed) / {watched} | " +
                $"{(manyLive.Footprint.RssMiB - manyListed.Footprint.RssMiB) * 1024 / watched:F0} | {(manyLive.Footprint.AnonMiB - manyListed.Footprint.AnonMiB) * 1024 / watched:F0} | " +
                $"{(manyLive.Footprint.ShmemMiB - manyListed.Footprint.ShmemMiB) * 1024 / watched:F0} | {(manyLive.CpuMsPerSecond - manyListed.CpuMsPerSecond) / watched:F2} | " +
                $"{(manyLive.Footprint.Threads - manyListed.Footprint.Threads) / (double)watched:F2} | {(manyLive.Footprint.Fds - manyListed.Footprint.Fds) / (double)watched:F2} |");

            Console.WriteLine();
            Console.WriteLine("| Request | Consoles | Median ms | p95 ms | Runs |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (string timing in timings)
            {
                Console.WriteLine(timing);
            }
            Console.WriteLine();
            Console.WriteLine($"Threads the {count}-console server holds after its viewers left, beyond those it held before they came: {ThreadsAdded(manyListed, manyAfter)}");
            Console.WriteLine($"Threads while {watched} were watched, beyond the idle ones: {ThreadsAdded(manyListed, manyLive)}");
            Console.WriteLine();
            Console.WriteLine("Busiest server threads in each window (ms/s, by thread name):");
            foreach (string line in busiest)
            {
                Console.WriteLine($"- {line}");
            }
            return 0;
        }
        finally
        {
            foreach (BenchRegion region in regions)
            {
                region.Dispose();
            }
        }
    }

    /// <summary>Thread names (the kernel keeps 15 bytes) with more threads in <paramref name="after"/> than in <paramref name="before"/>, as "name +count".</summary>
    private static string ThreadsAdded(Row before, Row after)
    {
        IEnumerable<string> added = after.ThreadNames
            .Where(p => p.Value > before.ThreadNames.GetValueOrDefault(p.Key))
            .OrderByDescending(p => p.Value - before.ThreadNames.GetValueOrDefault(p.Key))
            .Select(p => $"'{p.Key}' +{p.Value - before.ThreadNames.GetValueOrDefault(p.Key)}");
        string text = string.Join(", ", added.Take(6));
        return text.Length == 0 ? "none" : text;
    }

    private static string Id(int index) => $"c{index + 1:D3}";

    private static string Optional(double value) => double.IsNaN(value) ? "" : value.ToString("F1", CultureInfo.InvariantCulture);

    private static void PerRow(string name, Row many, Row one, int others) =>
        Console.WriteLine($"| {name} | {(many.Footprint.RssMiB - one.Footprint.RssMiB) * 1024 / others:F0} | {(many.Footprint.AnonMiB - one.Footprint.AnonMiB) * 1024 / others:F0} | " +
            $"{(many.Footprint.ShmemMiB - one.Footprint.ShmemMiB) * 1024 / others:F0} | {(many.CpuMsPerSecond - one.CpuMsPerSecond) / others:F3} | " +
            $"{(many.Footprint.Threads - one.Footprint.Threads) / (double)others:F2} | {(many.Footprint.Fds - one.Footprint.Fds) / (double)others:F2} |");

    private sealed record Row(string Name, int Consoles, int Watched, ProcFootprint Footprint, double CpuMsPerSecond, double Seconds)
    {
        public Dictionary<string, int> ThreadNames { get; init; } = [];

        public double UpdatesPerSecond { get; init; } = double.NaN;

        public double PublishedPerSecond { get; init; } = double.NaN;
    }

    /// <summary>Lets resident memory settle (unless told not to), then measures CPU over the window and what the server holds at its end.</summary>
    private static async Task<Row> MeasureAsync(int pid, string name, int consoles, int watched, int seconds, List<string> busiest, bool settle = true)
    {
        if (settle)
        {
            await Task.Delay(s_settle);
            await ProcFootprint.SettledAsync(pid, s_settleLimit);
        }
        TimeSpan cpu0 = ProcStat.CpuTime(pid);
        Dictionary<int, (string Name, long Ticks)> threads0 = ThreadCpu.Read(pid);
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        TimeSpan cpu1 = ProcStat.CpuTime(pid);
        double elapsed = clock.Elapsed.TotalSeconds;
        Dictionary<int, (string Name, long Ticks)> threads1 = ThreadCpu.Read(pid);
        busiest.Add($"{name}: {ThreadCpu.Busiest(threads0, threads1, elapsed)}");
        return new Row(name, consoles, watched, ProcFootprint.Read(pid), (cpu1 - cpu0).TotalMilliseconds / elapsed, elapsed)
        {
            ThreadNames = threads1.Values.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.Count()),
        };
    }

    /// <summary>20 sequential <c>GET /api/consoles</c>, after one not counted.</summary>
    private static async Task<string> TimeListAsync(ServerUnderTest server, int consoles)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var times = new List<double>();
        for (int i = 0; i <= 20; i++)
        {
            long start = Stopwatch.GetTimestamp();
            List<Listing>? list = await http.GetFromJsonAsync<List<Listing>>("api/consoles");
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (list is null || list.Count != consoles || list.Any(c => c.State != "ready"))
            {
                throw new InvalidOperationException($"/api/consoles listed {list?.Count} consoles, not {consoles} ready: " +
                    string.Join("; ", list?.Where(c => c.State != "ready").Take(3).Select(c => $"{c.Id} {c.State} {c.Reason}") ?? []));
            }
            if (i > 0)
            {
                times.Add(ms);
            }
        }
        var d = new Distribution(times);
        return $"| GET /api/consoles (one after another) | {consoles} | {d.Median:F1} | {d.P95:F1} | {d.Count} |";
    }

    private sealed record Listing(string Id, string State, string? Reason);

    /// <summary>Waits until the server lists <paramref name="consoles"/> consoles, every one ready (libvirt guests boot): the milliseconds it took.</summary>
    private static async Task<double> WaitForReadyAsync(ServerUnderTest server, int consoles)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            List<Listing>? list = await http.GetFromJsonAsync<List<Listing>>("api/consoles");
            if (list is not null && list.Count == consoles && list.All(c => c.State == "ready"))
            {
                return clock.Elapsed.TotalMilliseconds;
            }
            if (clock.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new InvalidOperationException($"{list?.Count} consoles listed, not {consoles} ready: " +
                    string.Join("; ", list?.Where(c => c.State != "ready").Take(3).Select(c => $"{c.Id} {c.State} {c.Reason}") ?? []));
            }
            await Task.Delay(200);
        }
    }

    /// <summary>Every thumbnail at once over 6 connections (a browser's limit per host on HTTP/1.1), 5 rounds.</summary>
    private static async Task<string> TimeThumbnailsAsync(ServerUnderTest server, int consoles)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 6 }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var times = new List<double>();
        for (int round = 0; round < 5; round++)
        {
            long start = Stopwatch.GetTimestamp();
            byte[][] pngs = await Task.WhenAll(Enumerable.Range(0, consoles).Select(i => http.GetByteArrayAsync($"api/consoles/{Id(i)}/thumbnail.png?t={round}")));
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (pngs.Any(p => p.Length == 0))
            {
                throw new InvalidOperationException("an empty thumbnail");
            }
        }
        var d = new Distribution(times);
        return $"| every thumbnail.png, HttpClient, 6 connections | {consoles} | {d.Median:F1} | {d.P95:F1} | {d.Count} |";
    }

    /// <summary>
    /// The list page at / in Chromium, 3 loads in fresh contexts: from navigation start until every
    /// card's thumbnail is loaded and shown (the last thumbnail response's end, from resource timing).
    /// </summary>
    private static async Task<string> TimePageAsync(ServerUnderTest server, BenchBrowser browser, int consoles)
    {
        var times = new List<double>();
        for (int round = 0; round < 3; round++)
        {
            IPage page = await OpenPageAsync(server, browser, consoles);
            double lastThumbnail = await page.EvaluateAsync<double>(
                "() => Math.max(...performance.getEntriesByType('resource').filter((e) => e.name.includes('thumbnail.png')).map((e) => e.responseEnd))");
            times.Add(lastThumbnail);
            await browser.CloseContextsAsync(); // the page polls every 2 s: it must not stay for the idle windows
        }
        var d = new Distribution(times);
        return $"| the list page at /, Chromium: navigation to the last thumbnail | {consoles} | {d.Median:F1} | {d.P95:F1} | {d.Count} |";
    }

    /// <summary>The list page at / in a fresh context, once every card shows its thumbnail.</summary>
    private static Task<IPage> OpenPageAsync(ServerUnderTest server, BenchBrowser browser, int consoles)
    {
        string ready = $$"""
            () => {
                const images = document.querySelectorAll('#consoles li.card img');
                return images.length === {{consoles}} && [...images].every((i) => !i.hidden && i.complete && i.naturalWidth > 0);
            }
            """;
        return browser.OpenPageAsync(new Uri(server.BaseAddress, "/"), 1280, 800, ready,
            "() => `${document.querySelectorAll('#consoles li.card img:not([hidden])').length} thumbnails shown`",
            "performance.setResourceTimingBufferSize(100000);");
    }
}
