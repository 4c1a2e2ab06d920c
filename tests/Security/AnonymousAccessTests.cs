using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using WebConsole.Hubs;

namespace WebConsole.Tests.Security;

/// <summary>With no key configured: local callers only, and the server says so at start-up.</summary>
public sealed class AnonymousAccessTests : IAsyncLifetime
{
    private readonly SecureServer _server = new(secured: false);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task WithoutKeys_ALocalCallerNeedsNoTicket_AndStartUpSaysSo()
    {
        // The in-memory test server has no remote address (no network peer): local, like a Unix socket.
        await using HubConnection connection = _server.Connect(ticket: null);
        await connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(10));
        JoinResult joined = await connection.InvokeAsync<JoinResult>("Join", SecureServer.ConsoleB).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("waiting", joined.State);
        Assert.Contains("anonymous access is allowed from loopback only", _server.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutKeys_ACallerBehindAProxy_IsRefused()
    {
        using HttpClient client = _server.CreateClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        using HttpResponseMessage negotiate = await client.PostAsync("/hubs/console/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.Forbidden, negotiate.StatusCode);
        Assert.Contains("loopback connections only", await negotiate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/consoles")).StatusCode);
    }
}
