using System.Net;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using WebConsole.Hubs;

namespace WebConsole.Tests.Security;

/// <summary>Hub connections through the real pipeline: each refusal, and what a good ticket allows.</summary>
public sealed class HubAccessTests : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private SecureServer _server = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Starts and joins; the refusal's message if the server refuses.</summary>
    private static async Task<string?> RefusalAsync(HubConnection connection, string consoleId)
    {
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += e =>
        {
            closed.TrySetResult(e);
            return Task.CompletedTask;
        };
        try
        {
            await connection.StartAsync().WaitAsync(s_timeout);
            await connection.InvokeAsync<JoinResult>("Join", consoleId).WaitAsync(s_timeout);
            return null;
        }
        catch (Exception e) when (e is HubException or HttpRequestException or InvalidOperationException or System.Net.WebSockets.WebSocketException)
        {
            // A refusal at connect closes the connection with the reason; one at Join fails the call.
            Exception? close = closed.Task.IsCompleted ? await closed.Task : null;
            return close?.Message ?? e.Message;
        }
    }

    [Fact]
    public async Task NoTicket_IsRefused()
    {
        await using HubConnection connection = _server.Connect(ticket: null);
        string? refusal = await RefusalAsync(connection, SecureServer.ConsoleA);
        Assert.NotNull(refusal);
        Assert.Contains("401", refusal, StringComparison.Ordinal);
        Assert.Contains("ticket required", _server.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoTicket_NegotiateAnswers401WithTheReason()
    {
        using HttpClient client = _server.CreateClient();
        using HttpResponseMessage response = await client.PostAsync("/hubs/console/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("access denied: ticket required", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ExpiredTicket_IsRefused()
    {
        string ticket = SecurityKeys.Mint(SecureServer.ConsoleA, "control", DateTimeOffset.UtcNow.AddSeconds(-30));
        using HttpClient client = _server.CreateClient();
        using HttpResponseMessage response = await client.PostAsync("/hubs/console/negotiate?negotiateVersion=1&access_token=" + ticket, null);
        Assert.Equal("access denied: ticket expired", await response.Content.ReadAsStringAsync());
        await using HubConnection connection = _server.Connect(ticket);
        Assert.NotNull(await RefusalAsync(connection, SecureServer.ConsoleA));
    }

    [Fact]
    public async Task TamperedTicket_IsRefused()
    {
        string ticket = SecurityKeys.Tamper(await _server.TicketAsync(SecureServer.ConsoleA));
        using HttpClient client = _server.CreateClient();
        using HttpResponseMessage response = await client.PostAsync("/hubs/console/negotiate?negotiateVersion=1&access_token=" + ticket, null);
        Assert.Equal("access denied: ticket signature invalid", await response.Content.ReadAsStringAsync());
        await using HubConnection connection = _server.Connect(ticket);
        Assert.NotNull(await RefusalAsync(connection, SecureServer.ConsoleA));
    }

    [Fact]
    public async Task TicketForAnotherConsole_CannotJoinIt_ButJoinsItsOwn()
    {
        string ticket = await _server.TicketAsync(SecureServer.ConsoleA, singleUse: false);
        await using HubConnection connection = _server.Connect(ticket);
        string? refusal = await RefusalAsync(connection, SecureServer.ConsoleB);
        Assert.Contains("access denied: ticket is for another console", refusal, StringComparison.Ordinal);

        await using HubConnection own = _server.Connect(ticket);
        Assert.Null(await RefusalAsync(own, SecureServer.ConsoleA));
    }

    [Fact]
    public async Task SingleUseTicket_ConnectsOnce()
    {
        string ticket = await _server.TicketAsync(SecureServer.ConsoleA, singleUse: true);
        await using HubConnection first = _server.Connect(ticket);
        Assert.Null(await RefusalAsync(first, SecureServer.ConsoleA));

        await using HubConnection second = _server.Connect(ticket);
        Assert.NotNull(await RefusalAsync(second, SecureServer.ConsoleA));
        using HttpClient client = _server.CreateClient();
        using HttpResponseMessage response = await client.PostAsync("/hubs/console/negotiate?negotiateVersion=1&access_token=" + ticket, null);
        Assert.Equal("access denied: ticket already used", await response.Content.ReadAsStringAsync());
        // The first connection is not disturbed.
        Assert.Equal("waiting", (await first.InvokeAsync<JoinResult>("Join", SecureServer.ConsoleA).WaitAsync(s_timeout)).State);
    }

    [Fact]
    public async Task SingleUseTicket_RacedByTwoConnections_AdmitsOne()
    {
        string ticket = await _server.TicketAsync(SecureServer.ConsoleA, singleUse: true);
        await using HubConnection one = _server.Connect(ticket);
        await using HubConnection two = _server.Connect(ticket);
        string?[] refusals = await Task.WhenAll(RefusalAsync(one, SecureServer.ConsoleA), RefusalAsync(two, SecureServer.ConsoleA));
        Assert.Equal(1, refusals.Count(r => r is null));
        // Refused at the handshake (401) or, if both got past it, when the connection started.
        Assert.Contains("ticket already used", _server.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForeignOrigin_IsRefused_AllowedAndOwnOriginsPass()
    {
        string ticket = await _server.TicketAsync(SecureServer.ConsoleA, singleUse: false);
        await using HubConnection foreign = _server.Connect(ticket, origin: "https://evil.example.com");
        Assert.Contains("403", await RefusalAsync(foreign, SecureServer.ConsoleA), StringComparison.Ordinal);
        Assert.Contains("origin https://evil.example.com", _server.Logs.All, StringComparison.Ordinal);

        await using HubConnection allowed = _server.Connect(ticket, origin: "https://dash.example.com");
        Assert.Null(await RefusalAsync(allowed, SecureServer.ConsoleA));
        await using HubConnection own = _server.Connect(ticket, origin: "http://localhost");
        Assert.Null(await RefusalAsync(own, SecureServer.ConsoleA));
    }

    [Fact]
    public async Task ViewTicket_InputIsDroppedAndLogged_ControlTicketInputArrives()
    {
        string view = await _server.TicketAsync(SecureServer.ConsoleA, "view");
        await using HubConnection viewer = _server.Connect(view, "hubs/probe");
        await viewer.StartAsync().WaitAsync(s_timeout);
        await viewer.InvokeAsync("Press", new[] { 30, 31, 32 }).WaitAsync(s_timeout);
        Assert.Equal(0, await viewer.InvokeAsync<int>("Received").WaitAsync(s_timeout));
        Assert.Matches(@"Refused 1 client requests in the last [\d.]+ s: view-only input 1", _server.Logs.All);

        string control = await _server.TicketAsync(SecureServer.ConsoleA, "control");
        await using HubConnection driver = _server.Connect(control, "hubs/probe");
        await driver.StartAsync().WaitAsync(s_timeout);
        await driver.InvokeAsync("Press", new[] { 30, 31, 32 }).WaitAsync(s_timeout);
        Assert.Equal(3, await driver.InvokeAsync<int>("Received").WaitAsync(s_timeout));
    }

    [Fact]
    public async Task InputOverTheRateCap_IsDroppedAndCounted()
    {
        await _server.DisposeAsync();
        _server = new SecureServer(new() { ["Security:InputEventsPerSecond"] = "1", ["Security:InputBurst"] = "10" });
        string control = await _server.TicketAsync(SecureServer.ConsoleA, "control");
        await using HubConnection driver = _server.Connect(control, "hubs/probe");
        await driver.StartAsync().WaitAsync(s_timeout);
        for (int i = 0; i < 10; i++)
        {
            await driver.InvokeAsync("Press", new[] { 1, 2 }).WaitAsync(s_timeout);
        }
        int received = await driver.InvokeAsync<int>("Received").WaitAsync(s_timeout);
        Assert.InRange(received, 10, 12); // the burst, plus at most a token or two refilled meanwhile
        Assert.Contains("input rate cap", _server.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizeMessage_ClosesThatConnectionOnly()
    {
        string ticket = await _server.TicketAsync(SecureServer.ConsoleA, singleUse: false);
        await using HubConnection big = _server.Connect(ticket);
        await using HubConnection other = _server.Connect(ticket);
        await big.StartAsync().WaitAsync(s_timeout);
        await other.StartAsync().WaitAsync(s_timeout);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        big.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        _ = big.InvokeAsync("Ack", new string('x', 100 * 1024)).ContinueWith(_ => { }, TaskScheduler.Default);
        await closed.Task.WaitAsync(s_timeout);
        Assert.Equal(HubConnectionState.Disconnected, big.State);
        Assert.Equal("waiting", (await other.InvokeAsync<JoinResult>("Join", SecureServer.ConsoleA).WaitAsync(s_timeout)).State);
    }

    [Fact]
    public async Task NoTicket_EverAppearsInTheLogs_AtTraceLevel()
    {
        string ticket = await _server.TicketAsync(SecureServer.ConsoleA, singleUse: false);
        using (HttpClient client = _server.CreateClient())
        {
            (await client.PostAsync("/hubs/console/negotiate?negotiateVersion=1&access_token=" + ticket, null)).EnsureSuccessStatusCode();
            (await client.PostAsync("/hubs/console/negotiate?negotiateVersion=1&access_token=" + SecurityKeys.Tamper(ticket), null)).Dispose();
        }
        await using (HubConnection connection = _server.Connect(ticket))
        {
            Assert.Null(await RefusalAsync(connection, SecureServer.ConsoleA));
        }
        string logs = _server.Logs.All;
        Assert.Contains("access_token=[redacted]", logs, StringComparison.Ordinal); // hosting did log the request line
        string signature = ticket[(ticket.LastIndexOf('.') + 1)..];
        string payload = ticket.Split('.')[1];
        Assert.DoesNotContain(signature, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(payload, logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryQueryValue_OfHubAndTicketRequests_IsRedactedInTheLogs()
    {
        const string Token = "tok3nSecretValue", Other = "s3ssionValue", Page = "pageVal7";
        using (HttpClient client = _server.CreateClient())
        {
            (await client.PostAsync($"/hubs/console/negotiate?negotiateVersion=1&token={Token}&sid={Other}", null)).Dispose();
            (await client.PostAsync($"/api/consoles/a/tickets?token={Token}", null)).Dispose();
            (await client.GetAsync($"/index.html?q={Page}")).Dispose();
        }
        string logs = _server.Logs.All;
        Assert.Contains("token=[redacted]", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(Other, logs, StringComparison.Ordinal);
        // Other paths keep their queries: only hub and ticket requests carry credentials.
        Assert.Contains(Page, logs, StringComparison.Ordinal);
    }
}
