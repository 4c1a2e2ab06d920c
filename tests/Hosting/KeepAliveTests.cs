using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WebConsole.Tests.Hubs;

namespace WebConsole.Tests.Hosting;

/// <summary>
/// SignalR's browser client pings the server only in answer to a message it received
/// (15 s after it) and gives the server 30 s (its defaults, which the page keeps). A viewer of a
/// static screen hears nothing but the server's keep-alive pings, so the server must ping well
/// inside the client's 30 s and wait for the client's answers longer than ping + 15 s. A 30 s
/// server keep-alive once broke that: quiet viewers were timed out, reconnected and repainted.
/// </summary>
public sealed class KeepAliveTests
{
    private static readonly TimeSpan BrowserServerTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan BrowserKeepAlive = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task HubTimeouts_KeepAQuietBrowserViewerConnected()
    {
        await using var server = new ServerFactory([]);
        HubOptions hub = server.Services.GetRequiredService<IOptions<HubOptions>>().Value;

        TimeSpan keepAlive = hub.KeepAliveInterval ?? TimeSpan.FromSeconds(15);
        TimeSpan clientTimeout = hub.ClientTimeoutInterval ?? TimeSpan.FromSeconds(30);
        // Two server pings fit in the browser's timeout, so one late ping is not a disconnect.
        Assert.True(keepAlive * 2 <= BrowserServerTimeout, $"server keep-alive {keepAlive}");
        // The browser answers a ping 15 s after it; the server must wait past the next such answer.
        Assert.True(clientTimeout >= keepAlive + BrowserKeepAlive, $"client timeout {clientTimeout} for keep-alive {keepAlive}");
    }
}
