using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using WebConsole.Testing;
using Xunit.Abstractions;

namespace WebConsole.E2E;

/// <summary>
/// One nginx in front of a WebConsole per hypervisor host (packaging/nginx/webconsole-hosts.conf:
/// <c>/h/host1/</c> and <c>/h/host2/</c>, prefix stripped and told with X-Forwarded-Prefix): each
/// server mints its own tickets, whose URLs carry its prefix, and one dashboard page on another
/// origin embeds a console from each, both live, their hubs under their prefixes.
/// </summary>
public sealed class ManyHostsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Host = NamedHostBrowser.Host;
    private readonly SelfSignedCertificate _certificate = new(Host);
    private readonly string _dashboardDir = Directory.CreateTempSubdirectory("webconsole-dashboard-").FullName;
    private NamedHostBrowser _browser = null!;

    public async Task InitializeAsync() => _browser = await NamedHostBrowser.LaunchAsync();

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _certificate.Dispose();
        Directory.Delete(_dashboardDir, recursive: true);
    }

    [Fact]
    public async Task TwoServersBehindOneNginx_TheirTicketsCarryTheirPrefix_AndOneDashboardEmbedsAConsoleFromEach()
    {
        int proxyPort = NamedHostBrowser.FreePort();
        int dashboardPort = NamedHostBrowser.FreePort();
        string dashboard = $"https://{Host}:{dashboardPort}";
        string[] keys = ["host1-api-key-0123456789", "host2-api-key-0123456789"];
        var servers = new List<WebConsoleServer>();
        try
        {
            for (int i = 0; i < 2; i++)
            {
                servers.Add(await WebConsoleServer.StartAsync([ServerConsole.Demo()], output, arguments:
                [
                    "--Security:ApiKeys:0", keys[i], "--Security:TicketSigningKey", $"host{i + 1}'s own signing secret, 32+ bytes long",
                    "--Security:AllowedOrigins:0", dashboard, "--Security:FrameAncestors:0", dashboard,
                    "--Proxy:KnownProxies:0", "127.0.0.1",
                ]));
            }
            using Nginx nginx = Nginx.Start(Site(proxyPort, dashboardPort, servers[0].BaseAddress.Port, servers[1].BaseAddress.Port), proxyPort);
            using HttpClientHandler handler = _certificate.Handler();
            using var client = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{proxyPort}/") };

            // Each host's server mints its own ticket; the URL it gives is under its prefix.
            string[] urls = new string[2];
            string[] reusable = new string[2];
            for (int i = 0; i < 2; i++)
            {
                (string ticket, string url) = await ProxiedTickets.MintAsync(client, $"{Host}:{proxyPort}", $"h/host{i + 1}/", keys[i], singleUse: true);
                Assert.StartsWith($"/h/host{i + 1}/console/demo#ticket=", url, StringComparison.Ordinal);
                Assert.EndsWith(ticket, url, StringComparison.Ordinal);
                urls[i] = $"https://{Host}:{proxyPort}{url}";
                (reusable[i], _) = await ProxiedTickets.MintAsync(client, $"{Host}:{proxyPort}", $"h/host{i + 1}/", keys[i], singleUse: false);
            }
            // A ticket is good only on the server that minted it.
            Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(client, proxyPort, "h/host1", reusable[0]));
            Assert.Equal(HttpStatusCode.Unauthorized, await NegotiateAsync(client, proxyPort, "h/host2", reusable[0]));

            File.WriteAllText(Path.Combine(_dashboardDir, "index.html"), DashboardHtml(urls));
            IBrowserContext context = await _browser.NewContextAsync();
            try
            {
                IPage page = await context.NewPageAsync();
                var sockets = new List<string>();
                page.WebSocket += (_, ws) => { lock (sockets) { sockets.Add(ws.Url); } };
                page.Console += (_, m) => output.WriteLine($"[dashboard console.{m.Type}] {m.Text}");
                await page.GotoAsync($"{dashboard}/");
                await page.WaitForFunctionAsync(
                    "() => [0, 1].every(i => window.events.some(e => e.frame === i && e.event === 'connected'))",
                    null, new PageWaitForFunctionOptions { Timeout = 30_000, PollingInterval = 50 });
                for (int i = 0; i < 2; i++)
                {
                    IFrame frame = page.Frames.Single(f => f.Url.Contains($"/h/host{i + 1}/console/demo", StringComparison.Ordinal));
                    await frame.WaitForFunctionAsync("() => window.webConsole?.framesPresented > 2", null,
                        new FrameWaitForFunctionOptions { Timeout = 20_000, PollingInterval = 50 });
                }
                string[] origins = await page.EvaluateAsync<string[]>("() => [...new Set(window.events.map(e => e.origin))]");
                Assert.Equal([$"https://{Host}:{proxyPort}"], origins);
                lock (sockets)
                {
                    output.WriteLine("sockets: " + string.Join(' ', sockets));
                    Assert.Contains(sockets, s => s.StartsWith($"wss://{Host}:{proxyPort}/h/host1/hubs/console", StringComparison.Ordinal));
                    Assert.Contains(sockets, s => s.StartsWith($"wss://{Host}:{proxyPort}/h/host2/hubs/console", StringComparison.Ordinal));
                }
                // Driven by postMessage like any dashboard: host2's console takes a scale command.
                await page.EvaluateAsync("() => window.send(1, { command: 'setScale', scale: 'off' })");
                IFrame second = page.Frames.Single(f => f.Url.Contains("/h/host2/", StringComparison.Ordinal));
                await second.WaitForFunctionAsync("() => document.getElementById('scale-toggle')?.getAttribute('aria-pressed') === 'true'",
                    null, new FrameWaitForFunctionOptions { Timeout = 10_000, PollingInterval = 50 });
                await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "webconsole-many-hosts.png") });
            }
            finally
            {
                await context.CloseAsync();
            }
        }
        finally
        {
            foreach (WebConsoleServer server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static string DashboardHtml(string[] urls) => $$"""
        <!doctype html><html><head><meta charset="utf-8"><title>two hosts</title></head>
        <body style="margin:0;font:13px sans-serif">
        <iframe id="f0" src="{{WebUtility.HtmlEncode(urls[0])}}" width="640" height="420"></iframe>
        <iframe id="f1" src="{{WebUtility.HtmlEncode(urls[1])}}" width="640" height="420"></iframe>
        <script>
        window.events = [];
        const frames = [document.getElementById('f0'), document.getElementById('f1')];
        addEventListener('message', (e) => {
            const frame = frames.findIndex(f => f.contentWindow === e.source);
            if (e.data && e.data.type === 'webconsole') window.events.push({ frame, origin: e.origin, event: e.data.event, console: e.data.console });
        });
        window.send = (i, command) => frames[i].contentWindow.postMessage({ type: 'webconsole', version: 1, ...command }, new URL(frames[i].src).origin);
        </script></body></html>
        """;

    /// <summary>packaging/nginx/webconsole-hosts.conf on this machine's ports, and a server block for the dashboard's origin.</summary>
    private string Site(int proxyPort, int dashboardPort, int host1, int host2)
    {
        string site = File.ReadAllText(Path.Combine(RepoPaths.Root, "packaging", "nginx", "webconsole-hosts.conf"));
        string[] replacements =
        [
            "listen 443 ssl;", $"listen 0.0.0.0:{proxyPort} ssl;",
            "listen [::]:443 ssl;", "",
            "server_name consoles.example;", $"server_name {Host};",
            "/etc/webconsole/tls/cert.pem", _certificate.CertificatePath,
            "/etc/webconsole/tls/key.pem", _certificate.KeyPath,
            "proxy_pass http://192.0.2.11:5000/;", $"proxy_pass http://127.0.0.1:{host1}/;",
            "proxy_pass http://192.0.2.12:5000/;", $"proxy_pass http://127.0.0.1:{host2}/;",
        ];
        for (int i = 0; i < replacements.Length; i += 2)
        {
            Assert.Contains(replacements[i], site, StringComparison.Ordinal);
            site = site.Replace(replacements[i], replacements[i + 1], StringComparison.Ordinal);
        }
        return site + $$"""

            server {
                listen 0.0.0.0:{{dashboardPort}} ssl;
                server_name {{Host}};
                ssl_certificate {{_certificate.CertificatePath}};
                ssl_certificate_key {{_certificate.KeyPath}};
                root {{_dashboardDir}};
            }
            """;
    }

    private static async Task<HttpStatusCode> NegotiateAsync(HttpClient client, int port, string prefix, string ticket)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{prefix}/hubs/console/negotiate?negotiateVersion=1");
        request.Headers.Host = $"{Host}:{port}";
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ticket);
        using HttpResponseMessage response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
