using System.Net;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace WebConsole.E2E;

/// <summary>
/// TLS in Kestrel from configuration (a PEM certificate and key made here with openssl), seen by
/// Chromium under a host name that is not loopback (webconsole.test, mapped to 127.0.0.1 by the
/// browser's resolver), where only https makes a secure context: the page over https talks to the
/// hub over wss and decodes with WebCodecs; over plain http it falls back. Redirection and HSTS
/// are off by default on loopback and on when asked.
/// </summary>
public sealed class TlsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Host = NamedHostBrowser.Host;
    private readonly SelfSignedCertificate _certificate = new(Host);
    private NamedHostBrowser _browser = null!;

    public async Task InitializeAsync() => _browser = await NamedHostBrowser.LaunchAsync();

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _certificate.Dispose();
    }

    [Fact]
    public async Task OverHttps_ThePageIsSecure_TalksWss_AndDecodesWithWebCodecs_OverHttpItFallsBack()
    {
        (int http, int https) = (NamedHostBrowser.FreePort(), NamedHostBrowser.FreePort());
        await using WebConsoleServer server = await WebConsoleServer.StartAsync([ServerConsole.Demo()], output, arguments: _certificate.KestrelEndpoints(http, https));

        (bool secure, string? decoder, string[] sockets) = await OpenAsync(new Uri($"https://{Host}:{https}/console/demo"));
        output.WriteLine($"https: isSecureContext={secure}, decoder={decoder}, sockets={string.Join(' ', sockets)}");
        Assert.True(secure, "the page over https is not a secure context");
        Assert.Equal("ImageDecoder", decoder);
        Assert.Contains(sockets, s => s.StartsWith($"wss://{Host}:{https}/hubs/console", StringComparison.Ordinal));

        // The same server over plain http (no redirect by default: it listens on loopback only).
        (secure, decoder, sockets) = await OpenAsync(new Uri($"http://{Host}:{http}/console/demo"));
        output.WriteLine($"http: isSecureContext={secure}, decoder={decoder}, sockets={string.Join(' ', sockets)}");
        Assert.False(secure, "the page over http under a non-loopback name is a secure context");
        Assert.Equal("createImageBitmap", decoder);
        Assert.Contains(sockets, s => s.StartsWith($"ws://{Host}:{http}/hubs/console", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RedirectAndHsts_WhenAsked_SendPlainHttpToHttps_AndHstsSkipsLoopbackNames()
    {
        (int http, int https) = (NamedHostBrowser.FreePort(), NamedHostBrowser.FreePort());
        await using WebConsoleServer server = await WebConsoleServer.StartAsync([ServerConsole.Demo()], output,
            arguments: [.. _certificate.KestrelEndpoints(http, https), "--Https:RedirectHttp=true", "--Https:Hsts=true", "--Https:HstsMaxAgeDays=30"]);
        using HttpClientHandler handler = _certificate.Handler();
        using var client = new HttpClient(handler);

        using var plain = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{http}/console/demo?x=1");
        plain.Headers.Host = $"{Host}:{http}";
        using HttpResponseMessage redirected = await client.SendAsync(plain);
        output.WriteLine($"http: {(int)redirected.StatusCode} -> {redirected.Headers.Location}");
        Assert.Equal(HttpStatusCode.PermanentRedirect, redirected.StatusCode);
        Assert.Equal($"https://{Host}:{https}/console/demo?x=1", redirected.Headers.Location?.ToString());

        using var named = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{https}/healthz");
        named.Headers.Host = $"{Host}:{https}";
        using HttpResponseMessage secure = await client.SendAsync(named);
        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.True(secure.Headers.TryGetValues("Strict-Transport-Security", out IEnumerable<string>? hsts), "no HSTS header over https");
        Assert.Equal("max-age=2592000", Assert.Single(hsts));

        using HttpResponseMessage loopback = await client.GetAsync(new Uri($"https://127.0.0.1:{https}/healthz"));
        Assert.False(loopback.Headers.Contains("Strict-Transport-Security"), "HSTS for a loopback host name");
    }

    private async Task<(bool Secure, string? Decoder, string[] Sockets)> OpenAsync(Uri url)
    {
        IBrowserContext context = await _browser.NewContextAsync();
        try
        {
            IPage page = await context.NewPageAsync();
            var sockets = new List<string>();
            page.WebSocket += (_, ws) => { lock (sockets) { sockets.Add(ws.Url); } };
            IResponse? response = await page.GotoAsync(url.ToString());
            Assert.True(response?.Ok, $"GET {url}: {response?.Status}");
            await page.WaitForFunctionAsync(
                "() => window.webConsole?.state === 'connected' && window.webConsole.framesPresented > 0 && document.documentElement.dataset.imageDecoder",
                null, new PageWaitForFunctionOptions { Timeout = 20_000, PollingInterval = 50 });
            bool secure = await page.EvaluateAsync<bool>("() => window.isSecureContext");
            string? decoder = await page.EvaluateAsync<string?>("() => document.documentElement.dataset.imageDecoder");
            lock (sockets)
            {
                return (secure, decoder, [.. sockets]);
            }
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
