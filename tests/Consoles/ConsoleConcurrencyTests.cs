using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using WebConsole.Hubs;
using WebConsole.Region;
using WebConsole.Tests.Hubs;
using WebConsole.Tests.Region;
using Xunit.Abstractions;

namespace WebConsole.Tests.Consoles;

/// <summary>
/// 20 clients doing PUT and DELETE on the same few ids for 30 s while viewers join, get moved and
/// get removed: the final set is the last write per id, no viewer is left on a console that is gone,
/// and no session, thread or descriptor is left behind.
/// </summary>
[Collection(ConsoleLoadTestGroup.Name)]
public sealed class ConsoleConcurrencyTests(ITestOutputHelper output) : IDisposable
{
    private const int Writers = 20, Watchers = 6, Ids = 6;
    private static readonly TimeSpan s_storm = TimeSpan.FromSeconds(30);
    private readonly TempRegion _region = new("storm");

    private sealed record Write(string Id, string? Source, long Started, long Ended, HttpStatusCode Status);

    [Fact]
    public async Task ConcurrentWritesAndViewers_EndInTheLastWritePerId_WithNothingLeft()
    {
        using RegionWriter writer = HubScene.CreateRegion(_region.Path);
        await using ConsoleServer server = await ConsoleServer.StartAsync("--Consoles:fixed:Source=region:" + _region.Path,
            "--Logging:LogLevel:WebConsole=Warning");
        string[] sources = ["demo", "region:" + _region.Path, "region:" + _region.Path + ".absent", "qemu:qmp=/nonexistent/webconsole-storm.sock"];
        var writes = new ConcurrentBag<Write>();
        var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();

        async Task WriterAsync(int seed)
        {
            var random = new Random(seed);
            while (!stop.IsCancellationRequested)
            {
                string id = $"s{random.Next(Ids)}";
                string? source = random.Next(3) == 0 ? null : sources[random.Next(sources.Length)];
                long started = clock.ElapsedTicks;
                using HttpResponseMessage response = source is null
                    ? await server.Http.DeleteAsync($"/api/consoles/{id}")
                    : await server.Http.PutAsJsonAsync($"/api/consoles/{id}", new { source });
                writes.Add(new Write(id, source, started, clock.ElapsedTicks, response.StatusCode));
            }
        }

        // Watchers: each keeps one viewer on a random id; when its console is removed (told, then
        // disconnected) or missing, it starts again with a new connection.
        var open = new ConcurrentDictionary<HubConnection, string>();
        int removedSeen = 0;
        async Task WatcherAsync(int seed)
        {
            var random = new Random(seed);
            while (!stop.IsCancellationRequested)
            {
                HubConnection viewer = await server.ConnectAsync();
                var gone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                viewer.On<StateMessage>(ConsoleClientMethods.State, s =>
                {
                    if (s.State == "removed")
                    {
                        Interlocked.Increment(ref removedSeen);
                    }
                });
                viewer.On<UpdateMessage>(ConsoleClientMethods.Update, m => _ = viewer.InvokeAsync("Ack", m.FrameId));
                viewer.Closed += _ =>
                {
                    gone.TrySetResult();
                    return Task.CompletedTask;
                };
                string id = $"s{random.Next(Ids)}";
                try
                {
                    JoinResult joined = await viewer.InvokeAsync<JoinResult>("Join", id);
                    if (joined.State != "removed")
                    {
                        open[viewer] = id;
                        await Task.WhenAny(gone.Task, Task.Delay(random.Next(200, 2000), stop.Token).ContinueWith(_ => { }, TaskScheduler.Default));
                    }
                }
                catch (Exception e) when (e is HubException or InvalidOperationException or IOException or OperationCanceledException)
                {
                    // unknown console (deleted just now), or removed while joining (told, then disconnected): try another
                }
                if (gone.Task.IsCompleted || !stop.IsCancellationRequested)
                {
                    open.TryRemove(viewer, out _);
                    await viewer.DisposeAsync();
                }
            }
        }

        async Task StormAsync(TimeSpan length, int seed)
        {
            stop = new CancellationTokenSource(length);
            Task[] all = [.. Enumerable.Range(seed, Writers).Select(i => Task.Run(() => WriterAsync(i))),
                .. Enumerable.Range(seed + 100, Watchers).Select(i => Task.Run(() => WatcherAsync(i)))];
            await Task.WhenAll(all);
            stop.Dispose();
        }

        // A short storm first, so the baseline has the connections, pool threads and JIT code a storm needs.
        await StormAsync(TimeSpan.FromSeconds(3), 1000);
        foreach (HubConnection viewer in open.Keys)
        {
            await viewer.DisposeAsync();
        }
        open.Clear();
        foreach (string id in (await server.IdsAsync()).Where(k => k != "fixed"))
        {
            await server.Http.DeleteAsync($"/api/consoles/{id}");
        }
        writes.Clear();
        removedSeen = 0;
        await Task.Delay(2000);
        var baseline = server.Usage();
        string baselineThreads = server.ThreadNames();
        await StormAsync(s_storm, 0);
        output.WriteLine($"{writes.Count} writes in {s_storm.TotalSeconds:F0} s ({writes.Count(w => w.Source is null)} deletes), " +
            $"{removedSeen} viewers told 'console removed'; {open.Count} viewers still watching");
        foreach (string line in server.Log.SkipWhile(l => !l.StartsWith("fail:", StringComparison.Ordinal)).Take(20))
        {
            output.WriteLine(line);
        }
        Assert.All(writes, w => Assert.True(w.Status is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.NoContent or HttpStatusCode.NotFound, $"{w}"));

        // The final set: for each id, the effect of one of the writes that nothing started after.
        JsonElement[] list = await server.ListAsync();
        var final = list.ToDictionary(c => c.GetProperty("id").GetString()!, c => c);
        for (int i = 0; i < Ids; i++)
        {
            string id = $"s{i}";
            var onId = writes.Where(w => w.Id == id).ToList();
            long lastStart = onId.Max(w => w.Started);
            var candidates = onId.Where(w => w.Ended >= lastStart).ToList();
            string? now = final.TryGetValue(id, out JsonElement c) ? c.GetProperty("source").GetString() : null;
            Assert.True(candidates.Any(w => w.Source == now), $"{id} is {now ?? "absent"}, but the last writes were {string.Join(", ", candidates.Select(w => w.Source ?? "delete"))}");
        }

        // Every viewer still open watches a console that exists, and the server counts exactly those.
        await Task.Delay(500);
        var stillOpen = open.Where(o => o.Key.State == HubConnectionState.Connected).ToList();
        Assert.All(stillOpen, o => Assert.True(final.ContainsKey(o.Value), $"a viewer is left on {o.Value}, which no longer exists"));
        foreach (var (id, console) in final)
        {
            Assert.Equal(stillOpen.Count(o => o.Value == id), console.GetProperty("viewers").GetInt32());
        }
        foreach (HubConnection viewer in open.Keys)
        {
            await viewer.DisposeAsync();
        }

        // Everything removed: the server is back where it started.
        foreach (string id in final.Keys.Where(k => k != "fixed"))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await server.Http.DeleteAsync($"/api/consoles/{id}")).StatusCode);
        }
        (int Threads, int Fds, long RssKib) after = server.Usage();
        var settle = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 40 && (after.Threads > baseline.Threads + 4 || after.Fds > baseline.Fds + 8); i++)
        {
            await Task.Delay(250);
            after = server.Usage();
        }
        output.WriteLine($"threads {baseline.Threads} -> {after.Threads}, fds {baseline.Fds} -> {after.Fds}, RSS {baseline.RssKib / 1024} -> {after.RssKib / 1024} MiB");
        output.WriteLine($"settled in {settle.ElapsedMilliseconds} ms");
        output.WriteLine($"threads before: {baselineThreads}");
        output.WriteLine($"threads after: {server.ThreadNames()}");
        Assert.DoesNotContain(server.Log, l => l.Contains("failed to stop", StringComparison.Ordinal));
        Assert.InRange(after.Threads, 0, baseline.Threads + 4);
        Assert.InRange(after.Fds, 0, baseline.Fds + 8);
        Assert.Equal(0, (await server.ListAsync()).Single().GetProperty("viewers").GetInt32());
        Assert.DoesNotContain(server.Log, l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal));
    }

    public void Dispose() => _region.Dispose();
}
