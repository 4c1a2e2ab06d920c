using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using WebConsole.Hubs;

namespace WebConsole.Tests.Security;

/// <summary>
/// One client calling the hub in a loop: its calls are capped per connection, and the log grows by a
/// handful of lines, not one per call (before: 3,634 joins/s and 54,515 info lines in 15 s).
/// </summary>
public sealed class HubCallFloodTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private readonly SecureServer _server = new(secured: false);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Entries at Information or above (what a production log keeps), after <paramref name="skip"/>.</summary>
    private int LoggedLines(int skip) => _server.Logs.Entries.Skip(skip).Count(e =>
        e.Contains(" Information: ", StringComparison.Ordinal) || e.Contains(" Warning: ", StringComparison.Ordinal) || e.Contains(" Error: ", StringComparison.Ordinal));

    [Fact]
    public async Task JoinFlood_ClosesThatConnection_AndLogsAFewLines()
    {
        await using HubConnection flooder = _server.Connect(ticket: null);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        flooder.Closed += e =>
        {
            closed.TrySetResult(e);
            return Task.CompletedTask;
        };
        await flooder.StartAsync().WaitAsync(s_timeout);
        int before = _server.Logs.Entries.Count;
        var clock = Stopwatch.StartNew();
        int joined = 0;
        Exception? refusal = null;
        for (int i = 0; i < 2000 && refusal is null; i++)
        {
            try
            {
                await flooder.InvokeAsync<JoinResult>("Join", SecureServer.ConsoleA).WaitAsync(s_timeout);
                joined++;
            }
            catch (Exception e) when (e is HubException or InvalidOperationException or IOException or TaskCanceledException)
            {
                refusal = e;
            }
        }
        double seconds = clock.Elapsed.TotalSeconds;
        // The burst (10) and 2 per second after it, with a second of slack for the refill; then the
        // connection is closed (before: every one of 2000 joins went through, a log line each).
        Assert.InRange(joined, 10, 10 + (int)Math.Ceiling((seconds + 1) * 2));
        Assert.NotNull(refusal);
        await closed.Task.WaitAsync(s_timeout);
        Assert.Equal(HubConnectionState.Disconnected, flooder.State);
        int lines = LoggedLines(before);
        output.WriteLine($"join flood: {joined} joins admitted, then the connection closed; {lines} log lines at Information or above in {seconds:F2} s");
        Assert.True(lines <= 8, $"{lines} log lines at Information or above for a join flood of {joined + 1} calls");
        for (int i = 0; i < 30 && !_server.Logs.All.Contains("Join rate cap", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }
        Assert.Contains("Join rate cap", _server.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(_server.Logs.Entries, e => e.Contains("joined", StringComparison.Ordinal) && e.Contains(" Information: ", StringComparison.Ordinal));

        // The flood hurt only itself: another connection joins at once.
        await using HubConnection other = _server.Connect(ticket: null);
        await other.StartAsync().WaitAsync(s_timeout);
        JoinResult result = await other.InvokeAsync<JoinResult>("Join", SecureServer.ConsoleA).WaitAsync(s_timeout);
        Assert.NotNull(result);
    }

    [Fact]
    public async Task PingAndInputFloods_AreCapped_AndLogAFewLines()
    {
        await using HubConnection flooder = _server.Connect(ticket: null);
        await flooder.StartAsync().WaitAsync(s_timeout);
        await flooder.InvokeAsync<JoinResult>("Join", SecureServer.ConsoleA).WaitAsync(s_timeout);
        int before = _server.Logs.Entries.Count;
        var clock = Stopwatch.StartNew();
        int answered = 0;
        for (int i = 0; i < 3000; i++)
        {
            answered += await flooder.InvokeAsync<string?>("Ping").WaitAsync(s_timeout) is null ? 0 : 1;
        }
        // Input that no keyboard could produce, one bad event per call.
        var bad = new[] { new InputMessage(1, 60000, 1, 0, 0) };
        for (int i = 0; i < 500; i++)
        {
            await flooder.InvokeAsync("Input", bad).WaitAsync(s_timeout);
        }
        double seconds = clock.Elapsed.TotalSeconds;
        Assert.InRange(answered, 1000, 1000 + (int)Math.Ceiling((seconds + 1) * 500)); // a burst of 1000, then 500/s
        Assert.True(answered < 3000 || seconds > 4, $"{answered} of 3000 pings answered in {seconds:F1} s: nothing was capped");
        int lines = LoggedLines(before);
        output.WriteLine($"3000 pings and 500 bad inputs in {seconds:F2} s: {answered} pings answered, {lines} log lines at Information or above");
        Assert.True(lines <= 5 + 3 * (int)Math.Ceiling(seconds), $"{lines} log lines at Information or above for 3500 calls in {seconds:F1} s");
        // The burst's last refusals are written within a second of it.
        for (int i = 0; i < 30 && !_server.Logs.All.Contains("invalid input events", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }
        Assert.Contains("invalid input events", _server.Logs.All, StringComparison.Ordinal);

        // What was refused is counted where operators look.
        using HttpClient client = _server.CreateClient();
        string metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)).WaitAsync(s_timeout);
        Assert.Matches(@"webconsole_hub_calls_refused_total\{[^}]*method=""other""[^}]*\} [1-9]", metrics);
    }
}
