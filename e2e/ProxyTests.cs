using System.Net;
using System.Net.Http.Json;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Playwright;
using WebConsole.Testing;
using Xunit.Abstractions;

namespace WebConsole.E2E;

/// <summary>
/// WebConsole behind Debian's nginx with the site of packaging/nginx/webconsole.conf (TLS at
/// nginx, the WebSocket upgrade of /hubs/console passed on) and <c>Proxy:KnownProxies</c> naming
/// it: the page through the proxy connects with a ticket minted through it; a foreign Origin is
/// still refused; forwarded headers from a client that is not the proxy change nothing.
/// </summary>
public sealed class ProxyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Host = NamedHostBrowser.Host;
    private const string ApiKey = "proxy-test-api-key-0123456789";
    private const string SigningKey = "a proxy test shared secret, 32+ bytes long";
    private readonly SelfSignedCertificate _certificate = new(Host);
    private NamedHostBrowser _browser = null!;

    public async Task InitializeAsync() => _browser = await NamedHostBrowser.LaunchAsync();

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _certificate.Dispose();
    }

    [Fact]
    public async Task ThroughNginx_ATicketMintedThroughIt_OpensThePageOverWss_AndAForeignOriginIsRefused()
    {
        int port = NamedHostBrowser.FreePort();
        await using WebConsoleServer server = await WebConsoleServer.StartAsync([ServerConsole.Demo()], output, arguments:
        [
            "--Security:ApiKeys:0", ApiKey, "--Security:TicketSigningKey", SigningKey, "--Proxy:KnownProxies:0", "127.0.0.1",
        ]);
        using Nginx nginx = Nginx.Start(Site(port, server.BaseAddress), port);
        using HttpClientHandler handler = _certificate.Handler();
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}/") };

        // The dashboard's backend mints a ticket through the proxy.
        (string ticket, _) = await ProxiedTickets.MintAsync(client, $"{Host}:{port}", "", ApiKey, singleUse: true, () => nginx.ErrorLog);

        // The page through the proxy: https, the hub over wss through nginx's upgrade.
        IBrowserContext context = await _browser.NewContextAsync();
        try
        {
            IPage page = await context.NewPageAsync();
            var sockets = new List<string>();
            page.WebSocket += (_, ws) => { lock (sockets) { sockets.Add(ws.Url); } };
            await page.GotoAsync($"https://{Host}:{port}/console/demo#ticket={ticket}");
            await page.WaitForFunctionAsync("() => window.webConsole?.state === 'connected' && window.webConsole.framesPresented > 3",
                null, new PageWaitForFunctionOptions { Timeout = 20_000, PollingInterval = 50 });
            lock (sockets)
            {
                Assert.Contains(sockets, s => s.StartsWith($"wss://{Host}:{port}/hubs/console", StringComparison.Ordinal));
            }
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "webconsole-proxy.png") });
        }
        finally
        {
            await context.CloseAsync();
        }

        // The same hub request with the page's own origin passes (X-Forwarded-Proto made it https);
        // with a foreign origin it is refused, proxy or not.
        // (The page used its single-use ticket; these take a reusable one.)
        (string reusable, _) = await ProxiedTickets.MintAsync(client, $"{Host}:{port}", "", ApiKey, singleUse: false, () => nginx.ErrorLog);
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(client, $"{Host}:{port}", $"https://{Host}:{port}", reusable));
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync(client, $"{Host}:{port}", "https://evil.test", reusable));
        Assert.Contains(server.Output, l => l.Contains("from origin https://evil.test", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForwardedHeaders_FromAClientThatIsNotTheProxy_GainNothing()
    {
        // Anonymous mode: only local callers may watch. The client here has a real, non-loopback
        // address of this machine; nginx (believed) and the server both listen on every address.
        IPAddress external = NonLoopbackAddress();
        int proxyPort = NamedHostBrowser.FreePort();
        int serverPort = NamedHostBrowser.FreePort();
        await using WebConsoleServer server = await WebConsoleServer.StartAsync([ServerConsole.Demo()], output, arguments:
        [
            "--urls", $"http://0.0.0.0:{serverPort}", "--Proxy:KnownProxies:0", "127.0.0.1",
        ]);
        using Nginx nginx = Nginx.Start(Site(proxyPort, new Uri($"http://127.0.0.1:{serverPort}/")), proxyPort);
        using HttpClientHandler handler = _certificate.Handler();
        using var client = new HttpClient(handler);

        // A local client through the proxy is local: nginx says so and is believed.
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(client, $"https://127.0.0.1:{proxyPort}/", null, null));
        // The external client through the proxy is not, even when it claims to be 127.0.0.1.
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync(client, $"https://{external}:{proxyPort}/", null, null));
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync(client, $"https://{external}:{proxyPort}/", null, null, forgedFor: "127.0.0.1"));
        // Straight to the server, its forwarded headers are nobody's word.
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync(client, $"http://{external}:{serverPort}/", null, null, forgedFor: "127.0.0.1"));
        // Every refusal names the client's real address (the log is written as it comes: wait for the third).
        string[] refusals = [];
        for (int i = 0; i < 100 && refusals.Length < 3; i++, await Task.Delay(50))
        {
            refusals = [.. server.Output.Where(l => l.Contains("Refused hub request", StringComparison.Ordinal))];
        }
        output.WriteLine(string.Join('\n', refusals));
        Assert.Equal(3, refusals.Length);
        Assert.All(refusals, l => Assert.Contains($"remote {external}", l, StringComparison.Ordinal));
    }

    /// <summary>The site of packaging/nginx/webconsole.conf, on this port and certificate, in front of <paramref name="server"/>.</summary>
    private string Site(int port, Uri server)
    {
        string site = File.ReadAllText(Path.Combine(RepoPaths.Root, "packaging", "nginx", "webconsole.conf"));
        string[] replacements =
        [
            "listen 443 ssl;", $"listen 0.0.0.0:{port} ssl;",
            "listen [::]:443 ssl;", "",
            "server_name console.example;", $"server_name {Host};",
            "/etc/webconsole/tls/cert.pem", _certificate.CertificatePath,
            "/etc/webconsole/tls/key.pem", _certificate.KeyPath,
            "proxy_pass http://127.0.0.1:5000;", $"proxy_pass http://127.0.0.1:{server.Port};",
        ];
        for (int i = 0; i < replacements.Length; i += 2)
        {
            Assert.Contains(replacements[i], site, StringComparison.Ordinal);
            site = site.Replace(replacements[i], replacements[i + 1], StringComparison.Ordinal);
        }
        return site;
    }

    private static async Task<HttpStatusCode> NegotiateAsync(HttpClient client, string baseOrHost, string? origin, string? ticket, string? forgedFor = null)
    {
        bool isBase = baseOrHost.Contains("://", StringComparison.Ordinal);
        var uri = new Uri((isBase ? new Uri(baseOrHost) : client.BaseAddress!), "hubs/console/negotiate?negotiateVersion=1");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri);
        if (!isBase)
        {
            request.Headers.Host = baseOrHost;
        }
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        if (ticket is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ticket);
        }
        if (forgedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forgedFor);
            request.Headers.Add("X-Forwarded-Proto", "https");
        }
        using HttpResponseMessage response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static IPAddress NonLoopbackAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? throw new InvalidOperationException("this test needs a non-loopback IPv4 address on the machine (to be a client that is not the proxy)");
}
