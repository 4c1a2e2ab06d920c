using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;
using WebConsole.Consoles;
using WebConsole.Hubs;
using WebConsole.Testing;
using WebConsole.Tests.Hubs;
using Xunit.Abstractions;

namespace WebConsole.Tests.Consoles.Libvirt;

/// <summary>
/// The libvirt provider against the machine's real libvirtd (9.0) and QEMU (7.2), with TCG domains
/// running the test guest: domains that start, stop, are undefined, and a libvirtd that dies and
/// comes back, as a watching viewer and the list see them. Runs as root (./test.sh does).
/// </summary>
public sealed class LibvirtConsoleTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan s_listed = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_boot = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan s_state = TimeSpan.FromSeconds(20);
    private readonly LibvirtHost _host = new(ServerFactory.RepoRoot);

    public void Dispose()
    {
        LibvirtHost.StartDaemon(); // a failed test may have left it dead
        _host.Dispose();
    }

    /// <summary>
    /// A defined p2p domain is listed as shut off; started while a viewer watches, it is a console
    /// within 2 s and the viewer gets the guest; destroyed, the same viewer is told it is shut off
    /// within 2 s, and started again it gets the picture back. A bus-mode domain (the server runs as
    /// root, the bus admits only libvirt-qemu) is listed invalid with why. A killed libvirtd leaves
    /// the consoles "waiting for libvirtd" and its restart brings them back. Undefined, a domain's
    /// viewer is told "console removed" within 2 s, and it stays gone through later events.
    /// </summary>
    [Fact]
    public async Task Domains_FollowTheirLifecycle_ToAWatchingViewer_AndSurviveALibvirtdRestart()
    {
        var total = Stopwatch.StartNew();
        string p2p = _host.Define(p2p: true, start: false);
        string bus = _host.Define(p2p: false);
        await using var server = new ServerFactory(new()
        {
            ["Libvirt:Uri"] = LibvirtHost.Uri,
            ["Libvirt:Domains:0"] = LibvirtHost.Pattern,
        });
        using HttpClient api = server.CreateClient();
        ConsoleCatalog catalog = server.Services.GetRequiredService<ConsoleCatalog>();
        bool Running(string id) => catalog.TryGetEntry(id, out ConsoleEntry? e) && e!.Definition.Spec.Kind == WebConsole.Sources.SourceKind.Qemu;

        // The bus-mode domain: listed, and why it cannot be shown.
        JsonElement busConsole = await WaitForConsoleAsync(api, bus, c => c.GetProperty("state").GetString() == "invalid", s_state);
        string reason = busConsole.GetProperty("reason").GetString()!;
        output.WriteLine($"bus mode, as root: {reason}");
        Assert.Contains($"domain {bus}'s D-Bus bus admits only uid ", reason, StringComparison.Ordinal);
        Assert.Contains("p2p='yes'", reason, StringComparison.Ordinal);
        Assert.Equal("libvirt", busConsole.GetProperty("origin").GetString());
        // The p2p domain, defined but shut off: listed as waiting for it.
        JsonElement stopped = await WaitForConsoleAsync(api, p2p, c => c.GetProperty("state").GetString() == "waiting", s_state);
        Assert.Equal($"waiting for domain {p2p} to start (it is shut off)", stopped.GetProperty("reason").GetString());

        var (viewer, joined) = await TestViewer.JoinAsync(server, p2p);
        await using (viewer)
        {
            Assert.Equal("waiting", joined.State);
            Channel<StateMessage> states = States(viewer);

            // Started: a console within 2 s, on the viewer's own connection, with the guest's pixels.
            string listedMs = await TimeUntilAsync(() => LibvirtHost.Start(p2p), () => Running(p2p), s_listed);
            output.WriteLine($"virsh start -> a running console: {listedMs}");
            Assert.Equal("qemu:libvirt=" + LibvirtHost.Uuid(p2p), catalog.TryGetEntry(p2p, out ConsoleEntry? entry) ? entry!.Definition.Spec.ToString() : null);
            await NextStateAsync(states, "ready", s_state);
            await WaitForPixelsAsync(api, p2p, s_boot);

            // Destroyed: the same viewer is told the domain is shut off.
            var destroy = Stopwatch.StartNew();
            LibvirtHost.Destroy(p2p);
            long virshMs = destroy.ElapsedMilliseconds;
            StateMessage off = await NextStateAsync(states, s => s.Reason?.StartsWith("waiting for domain", StringComparison.Ordinal) == true,
                TimeSpan.FromSeconds(2) + destroy.Elapsed);
            long afterVirsh = destroy.ElapsedMilliseconds - virshMs;
            output.WriteLine($"virsh destroy took {virshMs} ms; the viewer heard '{off.Reason}' {afterVirsh} ms after it returned ({destroy.ElapsedMilliseconds} ms in all)");
            Assert.True(afterVirsh < 2000, $"{afterVirsh} ms");

            // Started again: the picture comes back to the same viewer.
            var again = Stopwatch.StartNew();
            LibvirtHost.Start(p2p);
            long startMs = again.ElapsedMilliseconds;
            await NextStateAsync(states, "ready", s_state);
            output.WriteLine($"virsh start (again, {startMs} ms) -> the viewer's console ready after {again.ElapsedMilliseconds} ms");
            await WaitForPixelsAsync(api, p2p, s_boot);

            // libvirtd dies: both consoles stay listed, waiting for it; the viewer is told so.
            var outage = Stopwatch.StartNew();
            LibvirtHost.KillDaemon();
            long killMs = outage.ElapsedMilliseconds;
            StateMessage waiting = await NextStateAsync(states, s => s.Reason?.StartsWith("waiting for libvirtd", StringComparison.Ordinal) == true, s_state);
            output.WriteLine($"libvirtd killed (seen gone after {killMs} ms) -> viewer told in {outage.ElapsedMilliseconds} ms: {waiting.Reason}");
            JsonElement[] during = await ListAsync(api);
            Assert.All(new[] { p2p, bus }, id => Assert.StartsWith("waiting for libvirtd",
                Assert.Single(during, c => c.GetProperty("id").GetString() == id).GetProperty("reason").GetString(), StringComparison.Ordinal));

            // Back: the p2p console shows the guest again on the same viewer connection, the bus one says why not again.
            var recovery = Stopwatch.StartNew();
            LibvirtHost.StartDaemon();
            long daemonMs = recovery.ElapsedMilliseconds;
            await NextStateAsync(states, "ready", s_state);
            output.WriteLine($"libvirtd restarted (answering after {daemonMs} ms) -> the viewer's console ready again after {recovery.ElapsedMilliseconds} ms");
            await WaitForConsoleAsync(api, bus, c => c.GetProperty("state").GetString() == "invalid", s_state);

            // Undefined: the viewer hears "console removed".
            LibvirtHost.Destroy(p2p);
            var undefine = Stopwatch.StartNew();
            _host.Undefine(p2p);
            long undefineMs = undefine.ElapsedMilliseconds;
            StateMessage removed = await NextStateAsync(states, "removed", TimeSpan.FromSeconds(2) + undefine.Elapsed);
            output.WriteLine($"virsh undefine took {undefineMs} ms; 'console removed' reached the viewer {undefine.ElapsedMilliseconds - undefineMs} ms after it returned");
            Assert.Equal("console removed", removed.Reason);
            Assert.True(undefine.ElapsedMilliseconds - undefineMs < 2000, $"{undefine.ElapsedMilliseconds - undefineMs} ms");
        }

        LibvirtHost.Destroy(bus);
        _host.Undefine(bus);
        await WaitForAsync(() => !catalog.TryGet(bus, out _), s_listed, $"{bus} left the set");
        string other = _host.Define(p2p: true, start: false); // one more event: the undefined ones must not come back with it
        await WaitForAsync(() => catalog.TryGet(other, out _), s_listed, $"{other} listed");
        Assert.False(catalog.TryGet(p2p, out _));
        Assert.False(catalog.TryGet(bus, out _));
        output.WriteLine($"total {total.Elapsed.TotalSeconds:F1} s");
    }

    private static Channel<StateMessage> States(TestViewer viewer)
    {
        var states = Channel.CreateUnbounded<StateMessage>();
        viewer.Connection.On<StateMessage>(ConsoleClientMethods.State, s => states.Writer.TryWrite(s));
        return states;
    }

    private static Task<StateMessage> NextStateAsync(Channel<StateMessage> states, string state, TimeSpan timeout) =>
        NextStateAsync(states, s => s.State == state, timeout);

    private static async Task<StateMessage> NextStateAsync(Channel<StateMessage> states, Func<StateMessage, bool> wanted, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            StateMessage next = await states.Reader.ReadAsync(cancel.Token);
            if (wanted(next))
            {
                return next;
            }
        }
    }

    /// <summary>Waits until the console's thumbnail shows the guest: VGA text (not only black) at 720x400.</summary>
    private async Task WaitForPixelsAsync(HttpClient api, string id, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        string seen = "nothing";
        while (clock.Elapsed < timeout)
        {
            using HttpResponseMessage response = await api.GetAsync($"/api/consoles/{id}/thumbnail.png");
            if (response.IsSuccessStatusCode)
            {
                using SKBitmap? image = SKBitmap.Decode(await response.Content.ReadAsByteArrayAsync());
                if (image is not null)
                {
                    int lit = image.Pixels.Count(p => p.Red + p.Green + p.Blue > 96);
                    seen = $"{image.Width}x{image.Height}, {lit} lit pixels";
                    if (lit > 200)
                    {
                        output.WriteLine($"{id}: the guest's screen after {clock.ElapsedMilliseconds} ms: {seen}");
                        return;
                    }
                }
            }
            await Task.Delay(250);
        }
        Assert.Fail($"{id}: the guest's screen never showed anything but black within {timeout} ({seen})");
    }

    /// <summary>
    /// Runs <paramref name="act"/> (a virsh command) and waits for <paramref name="done"/>: the
    /// milliseconds from the command's start, and from its return, which must be under <paramref name="limit"/>
    /// (virsh start waits for QEMU to come up, which is not the server's time).
    /// </summary>
    private static async Task<string> TimeUntilAsync(Action act, Func<bool> done, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        act();
        long virshMs = clock.ElapsedMilliseconds;
        await WaitForAsync(done, limit + TimeSpan.FromSeconds(5), "it happened");
        long ms = clock.ElapsedMilliseconds;
        Assert.True(ms - virshMs < limit.TotalMilliseconds, $"{ms - virshMs} ms after virsh returned, more than {limit.TotalMilliseconds} ms");
        return $"{ms} ms from the command ({ms - virshMs} ms after virsh returned)";
    }

    private static async Task WaitForAsync(Func<bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(clock.Elapsed < timeout, $"not within {timeout}: {what}");
            await Task.Delay(10);
        }
    }

    private static async Task<JsonElement[]> ListAsync(HttpClient api) => (await api.GetFromJsonAsync<JsonElement[]>("/api/consoles"))!;

    private static async Task<JsonElement> WaitForConsoleAsync(HttpClient api, string id, Func<JsonElement, bool> holds, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            JsonElement[] all = await ListAsync(api);
            foreach (JsonElement console in all)
            {
                if (console.GetProperty("id").GetString() == id && holds(console))
                {
                    return console;
                }
            }
            Assert.True(clock.Elapsed < timeout, $"{id} not as expected within {timeout}: {JsonSerializer.Serialize(all)}");
            await Task.Delay(50);
        }
    }
}
