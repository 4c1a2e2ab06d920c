using System.Net.Http.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using WebConsole.Hubs;
using WebConsole.Security;

namespace WebConsole.Tests.Security;

/// <summary>
/// Tickets and API keys sent every way a careless client could, against the real server with every
/// category at Trace and HTTP logging on (headers and bodies included): none of them, nor any
/// 12-character piece of one, reaches a log line, a structured value, a scope or an exception.
/// </summary>
public sealed class SecretsInLogsTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const int Fragment = 12;
    private const string WrongKey = "wrong-value-9876543-abc"; // shaped like the configured key: lower case, digits, dashes, 23 characters
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private readonly SecureServer _server = new(httpLogging: true);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task NoTicketOrApiKey_ReachesTheLogs_WhateverCarriesIt()
    {
        string minted = await _server.TicketAsync(SecureServer.ConsoleA, singleUse: false); // its response body was logged too
        string ticket = SecurityKeys.Mint(SecureServer.ConsoleA, "control", DateTimeOffset.UtcNow.AddMinutes(5), notBefore: DateTimeOffset.UtcNow.AddMinutes(-1));
        string key = SecurityKeys.ApiKey;
        string[] secrets = [minted, ticket, key, WrongKey];
        string encoded = ticket.Replace(".", "%2E", StringComparison.Ordinal);
        int shapes = 0;
        using (HttpClient client = _server.CreateClient())
        {
            async Task Send(string method, string url, Action<HttpRequestMessage>? headers = null, HttpContent? body = null)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = body };
                headers?.Invoke(request);
                using HttpResponseMessage response = await client.SendAsync(request).WaitAsync(s_timeout);
                await response.Content.ReadAsStringAsync();
                shapes++;
            }
            await Send("GET", $"/healthz?token={ticket}");
            await Send("GET", $"/healthz?t={ticket}");
            await Send("GET", $"/healthz?x=1&access_token={ticket}");
            await Send("GET", $"/healthz/{ticket}");
            await Send("GET", $"/console/a?q=%23access_token={ticket}");
            await Send("GET", $"/healthz?x={encoded}");
            await Send("GET", $"/healthz?x={Uri.EscapeDataString(ticket)}&k={Uri.EscapeDataString(key)}");
            await Send("GET", "/healthz", r => r.Headers.TryAddWithoutValidation("Authorization", "Bearer " + ticket));
            await Send("GET", "/healthz", r => r.Headers.TryAddWithoutValidation("Authorization", ticket));
            await Send("GET", "/healthz", r => r.Headers.TryAddWithoutValidation("Authorization", key));
            await Send("GET", "/api/consoles", r => r.Headers.TryAddWithoutValidation(ApiKeyVerifier.HeaderName, key));
            await Send("GET", "/api/consoles", r => r.Headers.TryAddWithoutValidation(ApiKeyVerifier.HeaderName, WrongKey));
            await Send("GET", "/healthz", r => r.Headers.TryAddWithoutValidation("X-Custom", ticket + " " + key));
            await Send("GET", "/healthz", r => r.Headers.TryAddWithoutValidation("Cookie", $"session={ticket}; k={key}"));
            await Send("GET", $"/api/{key}?apikey={WrongKey}");
            await Send("GET", $"/healthz/{WrongKey}");
            await Send("GET", $"/healthz?key={WrongKey}&other=x{key}y");
            await Send("POST", "/api/consoles/a/tickets", r => r.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key),
                JsonContent.Create(new { permission = "control", note = ticket, key = WrongKey }));
            await Send("POST", $"/hubs/console/negotiate?negotiateVersion=1&access_token={ticket}&x={key}");
        }
        // The hub: the ticket in the query under another name too, and a ticket and a key as Join arguments.
        await using (HubConnection hub = new HubConnectionBuilder()
            .WithUrl(new Uri(_server.Server.BaseAddress, $"hubs/console?access_token={ticket}&x={key}&y={WrongKey}"), options =>
            {
                options.HttpMessageHandlerFactory = _ => _server.Server.CreateHandler();
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                options.WebSocketFactory = async (context, token) => await _server.Server.CreateWebSocketClient().ConnectAsync(context.Uri, token);
            })
            .AddMessagePackProtocol()
            .Build())
        {
            await hub.StartAsync().WaitAsync(s_timeout);
            foreach (string argument in new[] { ticket, key, WrongKey })
            {
                await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.InvokeAsync<JoinResult>("Join", argument).WaitAsync(s_timeout));
                shapes++;
            }
            await hub.InvokeAsync<JoinResult>("Join", SecureServer.ConsoleA).WaitAsync(s_timeout);
            await Assert.ThrowsAnyAsync<Exception>(() => hub.InvokeAsync("TypeText", ticket + "\u00e9").WaitAsync(s_timeout));
            shapes++;
        }
        await Task.Delay(200); // the server's last lines about the closed connection

        string logs = _server.Logs.All;
        output.WriteLine($"{shapes} ways in, {_server.Logs.Entries.Count} log entries, {logs.Length} characters");
        Assert.Contains("[redacted]", logs, StringComparison.Ordinal);
        Assert.Contains("Request starting", logs, StringComparison.Ordinal); // hosting did log the requests
        Assert.Contains("X-Custom", logs, StringComparison.Ordinal); // and HTTP logging the headers
        foreach (string secret in secrets)
        {
            for (int i = 0; i + Fragment <= secret.Length; i++)
            {
                string piece = secret.Substring(i, Fragment);
                int at = logs.IndexOf(piece, StringComparison.Ordinal);
                Assert.True(at < 0, $"'{piece}' of a secret is in the logs: ...{logs.Substring(Math.Max(0, at - 200), Math.Min(400, logs.Length - Math.Max(0, at - 200)))}...");
            }
        }
    }
}
