using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using WebConsole.Hubs;
using Xunit.Abstractions;

namespace WebConsole.Tests.Packaging;

/// <summary>
/// The Debian package on this machine, for real: built from a self-contained publish, checked by
/// lintian and systemd-analyze, installed, its service's command run as its user, upgraded over
/// an older build with an edited conffile, removed and purged. Needs root (./test.sh runs as root).
/// </summary>
[Collection(PackagingTestGroup.Name)]
public sealed partial class DebianPackageTests(ITestOutputHelper output)
{
    private const string Conffile = "/etc/webconsole/appsettings.json";

    [Fact]
    public async Task ThePackageInstallsRunsItsServiceUpgradesKeepingTheConffileAndPurgesClean()
    {
        Assert.True(Environment.UserName == "root", "the package test installs a package: run it as root (./test.sh does)");
        string work = Directory.CreateTempSubdirectory("webconsole-deb-").FullName;
        try
        {
            if (DebianPackage.InstalledVersion() is not null || File.Exists(Conffile))
            {
                DebianPackage.Must("dpkg", "--purge", "webconsole");
            }

            // One publish, two packages: an older and a newer build of the same tree. The older one
            // is packed with gzip (seconds, not xz's minute); the newer, linted one as released.
            var watch = Stopwatch.StartNew();
            string publish = Path.Combine(work, "publish");
            DebianPackage.Must(DebianPackage.BuildScript, "--publish-only", publish);
            string older = DebianPackage.Must(DebianPackage.BuildScript, "--from", publish, "--version", "0.1.0~test1", "--compression", "gzip", "--output", work).Trim().Split('\n')[^1];
            string newer = DebianPackage.Must(DebianPackage.BuildScript, "--from", publish, "--version", "0.1.0~test2", "--output", work).Trim().Split('\n')[^1];
            output.WriteLine($"built {Path.GetFileName(older)} and {Path.GetFileName(newer)} in {watch.Elapsed.TotalSeconds:0} s ({new FileInfo(newer).Length / 1048576.0:0.0} MiB)");

            (_, string lint) = DebianPackage.Run("lintian", "--info", "--show-overrides", newer);
            output.WriteLine("lintian: " + lint);
            string[] errors = [.. lint.Split('\n').Where(l => l.StartsWith("E:", StringComparison.Ordinal))];
            Assert.True(errors.Length == 0, "lintian errors:\n" + string.Join('\n', errors));

            // Install the older build.
            DebianPackage.Must("dpkg", "-i", older);
            Assert.Equal("0.1.0~test1", DebianPackage.InstalledVersion());
            Assert.True(File.Exists("/usr/lib/webconsole/WebConsole.Server"), "the server is not under /usr/lib/webconsole");
            Assert.True(File.Exists("/usr/bin/webconsole"), "no webconsole command on PATH");
            Assert.Contains("webconsole:", DebianPackage.Must("getent", "passwd", "webconsole"), StringComparison.Ordinal);
            string mode = DebianPackage.Must("stat", "-c", "%U:%G %a", Conffile).Trim();
            Assert.Equal("root:webconsole 640", mode);
            string[] installed = [.. DebianPackage.Must("dpkg", "-L", "webconsole").Split('\n', StringSplitOptions.RemoveEmptyEntries)];

            // The unit as systemd would read it, and how an operator would see its sandbox.
            string verify = DebianPackage.Must("systemd-analyze", "verify", DebianPackage.UnitPath);
            Assert.DoesNotContain("webconsole.service", verify, StringComparison.Ordinal);
            (_, string security) = DebianPackage.Run("systemd-analyze", "security", "--offline=true", DebianPackage.UnitPath);
            Match score = ExposureLevel().Match(security);
            Assert.True(score.Success, "no exposure level in:\n" + security);
            double exposure = double.Parse(score.Groups[1].Value, CultureInfo.InvariantCulture);
            output.WriteLine($"systemd-analyze security --offline=true: {exposure} {score.Groups[2].Value}");
            Assert.True(exposure <= 3.0, $"exposure {exposure} is above 3.0:\n{security}");

            // The service's command, as its user, with its environment; the conffile edited to a
            // port of the test's (an operator's edit the upgrade must keep).
            int port = FreePort();
            string edited = File.ReadAllText(Conffile).Replace("http://127.0.0.1:5000", $"http://127.0.0.1:{port}", StringComparison.Ordinal);
            Assert.Contains(port.ToString(CultureInfo.InvariantCulture), edited, StringComparison.Ordinal);
            File.WriteAllText(Conffile, edited);
            await ServiceServesTheDemoAsync(port);

            // Upgrade: the newer build over the older one keeps the edited conffile.
            DebianPackage.Must("dpkg", "-i", newer);
            Assert.Equal("0.1.0~test2", DebianPackage.InstalledVersion());
            Assert.Equal(edited, File.ReadAllText(Conffile));
            await ServiceServesTheDemoAsync(port);

            // Remove keeps the configuration; purge leaves nothing of the package's (the user stays).
            DebianPackage.Must("dpkg", "--remove", "webconsole");
            Assert.False(File.Exists("/usr/lib/webconsole/WebConsole.Server"), "remove left the server");
            Assert.True(File.Exists(Conffile), "remove took the configuration");
            DebianPackage.Must("dpkg", "--purge", "webconsole");
            Assert.Null(DebianPackage.InstalledVersion());
            string[] left = [.. installed.Append("/var/lib/webconsole").Append("/etc/webconsole")
                .Where(p => p.Contains("webconsole", StringComparison.Ordinal) && (File.Exists(p) || Directory.Exists(p)))];
            Assert.True(left.Length == 0, "purge left: " + string.Join(", ", left));
            Assert.Contains("webconsole:", DebianPackage.Must("getent", "passwd", "webconsole"), StringComparison.Ordinal);
        }
        finally
        {
            if (DebianPackage.InstalledVersion() is not null)
            {
                DebianPackage.Run("dpkg", "--purge", "webconsole");
            }
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Runs the unit's ExecStart as its User, in its WorkingDirectory, with only its Environment; a viewer gets a frame of the demo.</summary>
    private async Task ServiceServesTheDemoAsync(int port)
    {
        Dictionary<string, string> service = DebianPackage.ServiceSection(File.ReadAllText(DebianPackage.UnitPath));
        var info = new ProcessStartInfo("runuser")
        {
            WorkingDirectory = service["WorkingDirectory"],
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "-u", service["User"], "--", "env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin" })
        {
            info.ArgumentList.Add(a);
        }
        foreach (string variable in service["Environment"].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            info.ArgumentList.Add(variable);
        }
        foreach (string word in service["ExecStart"].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            info.ArgumentList.Add(word);
        }
        var watch = Stopwatch.StartNew();
        using Process server = Process.Start(info)!;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        server.OutputDataReceived += (_, e) => { if (e.Data is not null) { log.Enqueue(e.Data); } };
        server.ErrorDataReceived += (_, e) => { if (e.Data is not null) { log.Enqueue(e.Data); } };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var address = new Uri($"http://127.0.0.1:{port}/");
        try
        {
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
            while (true)
            {
                Assert.False(server.HasExited, "the service's command exited:\n" + string.Join('\n', log));
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "no /healthz within 60 s:\n" + string.Join('\n', log));
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
                }
                await Task.Delay(20);
            }
            double healthz = watch.Elapsed.TotalMilliseconds;

            await using HubConnection viewer = new HubConnectionBuilder()
                .WithUrl(new Uri(address, "hubs/console"), HttpTransportType.WebSockets)
                .AddMessagePackProtocol()
                .Build();
            var frame = new TaskCompletionSource<UpdateMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            viewer.On<UpdateMessage>(ConsoleClientMethods.Update, m => frame.TrySetResult(m));
            await viewer.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
            JoinResult joined = await viewer.InvokeAsync<JoinResult>("Join", "demo").WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("ready", joined.State);
            UpdateMessage first = await frame.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.NotEmpty(first.Rects);
            output.WriteLine($"service command as {service["User"]}: /healthz after {healthz:0} ms, first frame ({first.Rects.Length} rects) after {watch.Elapsed.TotalMilliseconds:0} ms");
            Assert.Contains(log, l => l.Contains("Content root path: /etc/webconsole", StringComparison.Ordinal));
        }
        finally
        {
            if (!server.HasExited)
            {
                // The server itself (runuser's child), then runuser.
                DebianPackage.Run("pkill", "-TERM", "-u", service["User"], "-f", "/usr/lib/webconsole/WebConsole.Server");
                if (!server.WaitForExit(TimeSpan.FromSeconds(15)))
                {
                    server.Kill(entireProcessTree: true);
                }
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"Overall exposure level for webconsole\.service: ([0-9.]+) (\w+)")]
    private static partial Regex ExposureLevel();
}
