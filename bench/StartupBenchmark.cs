using System.Diagnostics;
using System.Globalization;
using System.Net;
using WebConsole.Testing;

namespace WebConsole.Bench;

/// <summary>
/// Start-up of the server as the Debian package ships it (issue 22): a self-contained publish
/// with and without ReadyToRun, beside the framework-dependent build (<c>dotnet
/// WebConsole.Server.dll</c>). Per start: exec to the first 200 of <c>/healthz</c>, and then a new
/// viewer's connect + join to its first frame of the demo console. The variants take turns, so a
/// busy machine weighs on each alike.
/// </summary>
internal sealed class StartupBenchmark : IBenchmark
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    public string Name => "startup";

    public string Description => "start-up of the packaged server: ReadyToRun or not, exec to /healthz and to a viewer's first frame [--runs N]";

    public int Run(ReadOnlySpan<string> args)
    {
        int runs = CommandLine.Int(args, "--runs", 7);
        return RunAsync(runs).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int runs)
    {
        string work = Directory.CreateTempSubdirectory("webconsole-startup-").FullName;
        try
        {
            Console.WriteLine($"# startup: {runs} starts of each variant, taking turns; {MachineInfo.Describe()}");
            var variants = new List<(string Name, Func<int, ProcessStartInfo> Start, string Size)>
            {
                ("framework-dependent (dotnet WebConsole.Server.dll)", port => FrameworkDependent(port, work), "-"),
            };
            foreach ((string name, bool r2r) in new[] { ("self-contained, JIT only", false), ("self-contained, ReadyToRun", true) })
            {
                string folder = Path.Combine(work, r2r ? "r2r" : "jit");
                var watch = Stopwatch.StartNew();
                Publish(folder, r2r);
                Console.WriteLine($"# published {name} in {watch.Elapsed.TotalSeconds:0} s: {FolderMiB(folder):0.0} MiB");
                variants.Add((name, port => SelfContained(folder, port, work), $"{FolderMiB(folder):0.0}"));
            }

            var healthz = variants.Select(_ => new List<double>()).ToArray();
            var firstFrame = variants.Select(_ => new List<double>()).ToArray();
            for (int run = 0; run < runs; run++)
            {
                for (int v = 0; v < variants.Count; v++)
                {
                    (double h, double f) = await OneStartAsync(variants[v].Start);
                    healthz[v].Add(h);
                    firstFrame[v].Add(f);
                }
            }

            Console.WriteLine();
            Console.WriteLine("| Server | Size MiB | exec to /healthz ms, median | p95 | new viewer's first frame ms, median | p95 | exec to first frame ms, median |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            for (int v = 0; v < variants.Count; v++)
            {
                var h = new Distribution(healthz[v]);
                var f = new Distribution(firstFrame[v]);
                var total = new Distribution(healthz[v].Zip(firstFrame[v], (a, b) => a + b));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {variants[v].Name} | {variants[v].Size} | {h.Median:0} | {h.P95:0} | {f.Median:0} | {f.P95:0} | {total.Median:0} |"));
            }
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<(double HealthzMs, double FirstFrameMs)> OneStartAsync(Func<int, ProcessStartInfo> start)
    {
        int port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}/");
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var watch = Stopwatch.StartNew();
        using Process process = Process.Start(start(port)) ?? throw new InvalidOperationException("the server did not start");
        try
        {
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"the server exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
                }
                if (watch.Elapsed > s_timeout)
                {
                    throw new TimeoutException("no /healthz answer within 60 s");
                }
                try
                {
                    using HttpResponseMessage r = await http.GetAsync(new Uri("healthz", UriKind.Relative));
                    if (r.StatusCode == HttpStatusCode.OK)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                await Task.Delay(5);
            }
            double healthz = watch.Elapsed.TotalMilliseconds;
            var join = Stopwatch.StartNew();
            await using HubViewer viewer = await HubViewer.JoinAsync(address, "demo");
            await viewer.NextAsync();
            return (healthz, join.Elapsed.TotalMilliseconds);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            await process.WaitForExitAsync();
        }
    }

    private static ProcessStartInfo FrameworkDependent(int port, string work)
    {
        ProcessStartInfo info = ServerProcess.Info(RepoLayout.Root, RepoLayout.ServerDll, $"http://127.0.0.1:{port}", ["--Logging:LogLevel:Default", "Warning"]);
        info.WorkingDirectory = work;
        return info;
    }

    private static ProcessStartInfo SelfContained(string folder, int port, string work)
    {
        // As /usr/bin/webconsole starts it: the apphost, its configuration in a folder of its own.
        var info = new ProcessStartInfo(Path.Combine(folder, "WebConsole.Server"))
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "--contentRoot", work, "--Urls", $"http://127.0.0.1:{port}", "--Logging:LogLevel:Default", "Warning" })
        {
            info.ArgumentList.Add(a);
        }
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment["DOTNET_NOLOGO"] = "1";
        return info;
    }

    private static void Publish(string folder, bool r2r)
    {
        var info = new ProcessStartInfo(Path.Combine(RepoLayout.Root, "packaging", "build-deb.sh")) { UseShellExecute = false };
        info.ArgumentList.Add("--publish-only");
        info.ArgumentList.Add(folder);
        if (!r2r)
        {
            info.ArgumentList.Add("--no-ready-to-run");
        }
        using Process p = Process.Start(info)!;
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"packaging/build-deb.sh --publish-only failed ({p.ExitCode})");
        }
    }

    private static double FolderMiB(string folder) =>
        new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) / 1048576.0;

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
