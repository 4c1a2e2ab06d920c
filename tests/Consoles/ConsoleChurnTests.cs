using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using WebConsole.Hubs;
using WebConsole.Region;
using WebConsole.Tests.Hubs;
using WebConsole.Tests.Region;
using Xunit.Abstractions;

namespace WebConsole.Tests.Consoles;

/// <summary>
/// Consoles added and removed 1,000 times through the API (demo, region, and qemu on a missing
/// socket; every tenth one watched while it is removed): the server's threads, descriptors and
/// memory come back to where they were, and every watcher was told and disconnected.
/// </summary>
[Collection(ConsoleLoadTestGroup.Name)]
public sealed class ConsoleChurnTests(ITestOutputHelper output) : IDisposable
{
    private const int Cycles = 1000, WarmUp = 30;
    // Margins: thread-pool threads come and go with load (the pool retires idle ones after ~20 s,
    // longer than a test should wait), so a few are allowed; descriptors and memory get what the
    // runtime's own caches may keep.
    private const int ThreadMargin = 8, FdMargin = 8;
    private const long RssMarginKib = 48 * 1024;
    private readonly TempRegion _region = new("churn");

    [Fact]
    public async Task AThousandAddsAndRemoves_LeaveThreadsDescriptorsAndMemoryWhereTheyWere()
    {
        using RegionWriter writer = HubScene.CreateRegion(_region.Path);
        await using ConsoleServer server = await ConsoleServer.StartAsync("--Consoles:fixed:Source=region:" + _region.Path,
            "--Logging:LogLevel:WebConsole=Warning");
        string[] sources = ["demo", "region:" + _region.Path, "qemu:qmp=/nonexistent/webconsole-churn-qmp.sock"];
        int watched = 0, told = 0;

        async Task CycleAsync(int i)
        {
            string id = $"churn{i % 7}";
            using HttpResponseMessage put = await server.Http.PutAsJsonAsync($"/api/consoles/{id}", new { source = sources[i % sources.Length] });
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            HubConnection? viewer = null;
            var removed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (i % 10 == 0)
            {
                viewer = await server.ConnectAsync();
                viewer.On<StateMessage>(ConsoleClientMethods.State, s =>
                {
                    if (s.State == "removed")
                    {
                        removed.TrySetResult();
                    }
                });
                viewer.Closed += _ =>
                {
                    closed.TrySetResult();
                    return Task.CompletedTask;
                };
                var frame = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                viewer.On<UpdateMessage>(ConsoleClientMethods.Update, _ => frame.TrySetResult());
                await viewer.InvokeAsync<JoinResult>("Join", id);
                if (!sources[i % sources.Length].StartsWith("qemu", StringComparison.Ordinal))
                {
                    await frame.Task.WaitAsync(TimeSpan.FromSeconds(10)); // watched for real: a capture loop, a frame
                }
                watched++;
            }
            using HttpResponseMessage delete = await server.Http.DeleteAsync($"/api/consoles/{id}");
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
            if (viewer is not null)
            {
                await removed.Task.WaitAsync(TimeSpan.FromSeconds(5));
                await closed.Task.WaitAsync(TimeSpan.FromSeconds(5));
                told++;
                await viewer.DisposeAsync();
            }
        }

        for (int i = 0; i < WarmUp; i++)
        {
            await CycleAsync(i);
        }
        var baseline = await SettledAsync(server, null);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var peak = baseline;
        for (int i = 0; i < Cycles; i++)
        {
            await CycleAsync(i);
            if (i % 100 == 99)
            {
                var now = server.Usage();
                peak = (Math.Max(peak.Threads, now.Threads), Math.Max(peak.Fds, now.Fds), Math.Max(peak.RssKib, now.RssKib));
            }
        }
        double seconds = clock.Elapsed.TotalSeconds;
        var after = await SettledAsync(server, baseline);
        output.WriteLine($"{Cycles} adds and removes ({watched} watched, {told} told 'console removed') in {seconds:F1} s");
        output.WriteLine($"threads {baseline.Threads} -> peak {peak.Threads} -> {after.Threads}; fds {baseline.Fds} -> peak {peak.Fds} -> {after.Fds}; " +
            $"RSS {baseline.RssKib / 1024} MiB -> peak {peak.RssKib / 1024} MiB -> {after.RssKib / 1024} MiB");
        output.WriteLine(string.Join("; ", File.ReadLines($"/proc/{server.Pid}/status").Where(l => l.StartsWith("Rss", StringComparison.Ordinal)))
            + $"; {File.ReadLines($"/proc/{server.Pid}/maps").Count()} mappings");
        Assert.Equal(Cycles / 10 + WarmUp / 10, told);
        Assert.Equal(["fixed"], await server.IdsAsync());
        Assert.InRange(after.Threads, 0, baseline.Threads + ThreadMargin);
        Assert.InRange(after.Fds, 0, baseline.Fds + FdMargin);
        Assert.InRange(after.RssKib, 0, baseline.RssKib + RssMarginKib);
        Assert.Empty(Directory.GetFiles("/dev/shm", $"webconsole-{server.Pid}-demo-*")); // every demo region deleted
        string metrics = await server.Http.GetStringAsync("/metrics");
        Assert.DoesNotContain("console=\"churn", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Log, l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal));
    }

    /// <summary>Usage once the sessions removed last have stopped: the lowest of a few readings, or the first within the margins.</summary>
    private static async Task<(int Threads, int Fds, long RssKib)> SettledAsync(ConsoleServer server, (int Threads, int Fds, long RssKib)? baseline)
    {
        var best = server.Usage();
        for (int i = 0; i < 40; i++)
        {
            await Task.Delay(250);
            var now = server.Usage();
            best = (Math.Min(best.Threads, now.Threads), Math.Min(best.Fds, now.Fds), Math.Min(best.RssKib, now.RssKib));
            if (baseline is { } b && best.Threads <= b.Threads + ThreadMargin && best.Fds <= b.Fds + FdMargin && best.RssKib <= b.RssKib + RssMarginKib)
            {
                break;
            }
        }
        return best;
    }

    public void Dispose() => _region.Dispose();
}
