using Microsoft.Playwright;

namespace WebConsole.Bench;

/// <summary>
/// Headless Debian Chromium (/usr/bin/chromium, or WEBCONSOLE_CHROMIUM) driven by Playwright,
/// which is told never to download a browser. Each viewer page gets its own context, so pages
/// never throttle each other.
/// </summary>
internal sealed class BenchBrowser : IAsyncDisposable
{
    /// <summary>Every wait on a page gives up after this long.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly List<IBrowserContext> _contexts = [];

    private BenchBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public string Version => _browser.Version;

    public static async Task<BenchBrowser> LaunchAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        string executable = Environment.GetEnvironmentVariable("WEBCONSOLE_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{executable} is missing: apt-get install -y chromium");
        }
        IPlaywright playwright = await Playwright.CreateAsync();
        try
        {
            IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Timeout = 60_000,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
            return new BenchBrowser(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens <paramref name="url"/> (after <paramref name="initScripts"/>) in a new context with a viewport that shows the whole
    /// <paramref name="width"/> x <paramref name="height"/> canvas at 1:1, and waits until a
    /// frame of that size is on the canvas.
    /// </summary>
    public Task<IPage> OpenConsoleAsync(Uri url, int width, int height, params string[] initScripts) =>
        OpenPageAsync(url, width, height,
            "([w, h]) => window.webConsole?.state === 'connected' && window.webConsole.framesPresented > 0 && window.webConsole.width === w && window.webConsole.height === h",
            "() => JSON.stringify(window.webConsole ?? null)", initScripts);

    /// <summary>
    /// Opens any console page (WebConsole's or another viewer's) like <see cref="OpenConsoleAsync"/>, and waits until
    /// <paramref name="ready"/> (<c>([w, h]) =&gt; bool</c>) holds; on a timeout the message shows <paramref name="diagnose"/> (<c>() =&gt; string</c>).
    /// </summary>
    public async Task<IPage> OpenPageAsync(Uri url, int width, int height, string ready, string diagnose, params string[] initScripts)
    {
        IBrowserContext context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width + 64, Height = height + 128 },
        });
        _contexts.Add(context);
        context.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
        IPage page = await context.NewPageAsync();
        foreach (string script in initScripts)
        {
            await page.AddInitScriptAsync(script);
        }
        page.PageError += (_, error) => Console.Error.WriteLine($"[{url.PathAndQuery} page error] {error}");
        IResponse? response = await page.GotoAsync(url.ToString());
        if (response is null || !response.Ok)
        {
            throw new InvalidOperationException($"GET {url} answered {response?.Status}");
        }
        try
        {
            await page.WaitForFunctionAsync(ready, new object[] { width, height }, new PageWaitForFunctionOptions { PollingInterval = 20 });
        }
        catch (TimeoutException e)
        {
            string state = await page.EvaluateAsync<string>(diagnose);
            throw new TimeoutException($"{url} showed no {width}x{height} frame within {Timeout.TotalSeconds} s; {state}", e);
        }
        return page;
    }

    /// <summary>Closes every page opened so far.</summary>
    public async Task CloseContextsAsync()
    {
        foreach (IBrowserContext context in _contexts)
        {
            await context.CloseAsync();
        }
        _contexts.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseContextsAsync();
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}
