using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;
using WebConsole.Hubs;

namespace WebConsole.Tests.Security;

/// <summary>
/// Every refusal a client can cause, flooded at once for 10 s (issue 19): each caller gets its
/// answer, and the log gets one counted line a second, nothing at Warning or above, no stack trace.
/// </summary>
public sealed class RefusalFloodTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_flood = TimeSpan.FromSeconds(10);
    private readonly SecureServer _server = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task EveryClientRefusal_FloodedFor10s_IsCountedOnceASecond_WithoutWarningsOrStacks()
    {
        string control = await _server.TicketAsync(SecureServer.ConsoleA, "control", singleUse: false);
        string view = await _server.TicketAsync(SecureServer.ConsoleA, "view", singleUse: false);
        int before = _server.Logs.Entries.Count;
        using var stop = new CancellationTokenSource(s_flood);
        var answered = new int[5];
        var key = new[] { new InputMessage(1, 30, 1, 0, 0) }; // "a" down: the console has no frame, so its ring takes nothing

        async Task Flood(int kind, string ticket, Func<HubConnection, Task> call)
        {
            while (!stop.IsCancellationRequested)
            {
                await using HubConnection hub = _server.Connect(ticket);
                await hub.StartAsync().WaitAsync(s_timeout);
                if (kind != 4)
                {
                    await hub.InvokeAsync<JoinResult>("Join", SecureServer.ConsoleA).WaitAsync(s_timeout);
                }
                while (!stop.IsCancellationRequested && hub.State == HubConnectionState.Connected)
                {
                    try
                    {
                        await call(hub).WaitAsync(s_timeout);
                    }
                    catch (Exception e) when (e is Microsoft.AspNetCore.SignalR.HubException or InvalidOperationException or TaskCanceledException)
                    {
                        // the refusal, as the client sees it
                    }
                    Interlocked.Increment(ref answered[kind]);
                }
            }
        }

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(
            Flood(0, control, hub => hub.InvokeAsync("Input", key)),                        // input ring full, then the input rate cap
            Flood(1, control, hub => hub.InvokeAsync("TypeText", new string('x', 5000))),   // text too long
            Flood(2, control, hub => hub.InvokeAsync("TypeText", "caf\u00e9")),             // untypable text
            Flood(3, view, hub => hub.InvokeAsync("Input", key)),                           // view-only input
            Flood(4, control, hub => hub.InvokeAsync<JoinResult>("Join", SecureServer.ConsoleA))); // the Join rate cap
        double seconds = clock.Elapsed.TotalSeconds;
        await Task.Delay(1500); // the last counted line comes a second after the flood

        string[] entries = _server.Logs.Entries.Skip(before).ToArray();
        string[] counted = entries.Where(e => e.Contains("Refused ", StringComparison.Ordinal) && e.Contains(" client requests in the last", StringComparison.Ordinal)).ToArray();
        string[] loud = entries.Where(e => e.Contains(" Warning: ", StringComparison.Ordinal) || e.Contains(" Error: ", StringComparison.Ordinal) ||
            e.Contains(" Critical: ", StringComparison.Ordinal)).ToArray();
        // What a production log keeps (Information and above) holds no exception; at Debug and Trace
        // ASP.NET Core's transports note the flooders' sockets closing under them.
        string[] stacks = entries.Where(e => !e.Contains(" Debug: ", StringComparison.Ordinal) && !e.Contains(" Trace: ", StringComparison.Ordinal) &&
            (e.Contains("\n   at ", StringComparison.Ordinal) || e.Contains("Exception", StringComparison.Ordinal))).ToArray();
        output.WriteLine($"{seconds:F1} s of floods, answers per kind: {string.Join(", ", answered)}; {entries.Length} log entries at any level, " +
            $"{counted.Length} counted refusal lines, {loud.Length} at Warning or above, {stacks.Length} with an exception");
        foreach (string line in counted)
        {
            output.WriteLine(line[..Math.Min(line.Length, 300)]);
        }
        Assert.All(answered, n => Assert.True(n > 10, $"a flood got only {n} answers"));
        Assert.Empty(loud);
        Assert.Empty(stacks);
        Assert.InRange(counted.Length, 5, (int)Math.Ceiling(seconds) + 3);
        string all = string.Join('\n', counted);
        foreach (string reason in new[] { "input ring full", "text too long", "untypable text", "view-only input", "Join rate cap" })
        {
            Assert.Contains(reason, all, StringComparison.Ordinal);
        }
    }
}
