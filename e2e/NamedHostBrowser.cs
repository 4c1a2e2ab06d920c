using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;

namespace WebConsole.E2E;

/// <summary>
/// A Chromium of its own whose resolver maps <see cref="Host"/> to 127.0.0.1: a name that is not
/// loopback, so only https makes a secure context, as for a real host.
/// </summary>
internal sealed class NamedHostBrowser : IAsyncDisposable
{
    public const string Host = "webconsole.test";

    private readonly IPlaywright _playwright;

    private NamedHostBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<NamedHostBrowser> LaunchAsync()
    {
        IPlaywright playwright = await Playwright.CreateAsync();
        IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("WEBCONSOLE_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                $"--host-resolver-rules=MAP {Host} 127.0.0.1"],
        });
        return new NamedHostBrowser(playwright, browser);
    }

    /// <summary>A context that accepts the tests' self-signed certificates, as a host's own CA would be.</summary>
    public Task<IBrowserContext> NewContextAsync() =>
        Browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true, ViewportSize = new() { Width = 1000, Height = 700 } });

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}
