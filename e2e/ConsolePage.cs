using System.Text.Json;
using Microsoft.Playwright;
using WebConsole.Region;
using Xunit.Abstractions;

namespace WebConsole.E2E;

/// <summary>
/// A browser page (in its own context, so pages never throttle each other) showing a URL of
/// the test server, with helpers that read the <c>window.webConsole</c> hook and the canvas pixels.
/// </summary>
internal sealed class ConsolePage : IAsyncDisposable
{
    /// <summary>Every wait on a page gives up after this long.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private readonly IBrowserContext _context;

    private ConsolePage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
    }

    public IPage Page { get; }

    public static async Task<ConsolePage> OpenAsync(
        IBrowser browser, Uri url, ITestOutputHelper output, int width = 1280, int height = 800, float deviceScaleFactor = 1,
        bool hasTouch = false, IEnumerable<string>? permissions = null, bool isMobile = false)
    {
        IBrowserContext context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            DeviceScaleFactor = deviceScaleFactor,
            HasTouch = hasTouch,
            IsMobile = isMobile,
            AcceptDownloads = true,
            Permissions = permissions,
        });
        context.SetDefaultTimeout((float)DefaultTimeout.TotalMilliseconds);
        IPage page = await context.NewPageAsync();
        string name = url.PathAndQuery;
        page.Console += (_, message) => Log(output, $"[{name} console.{message.Type}] {message.Text}");
        page.PageError += (_, error) => Log(output, $"[{name} page error] {error}");
        var result = new ConsolePage(context, page);
        try
        {
            IResponse? response = await page.GotoAsync(url.ToString());
            if (response is null || !response.Ok)
            {
                throw new InvalidOperationException($"GET {url} answered {response?.Status}");
            }
            return result;
        }
        catch
        {
            await result.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the page is connected, the source is ready and a frame is on the canvas.</summary>
    public Task WaitForLiveAsync(TimeSpan? timeout = null) =>
        WaitForAsync("c => c.state === 'connected' && c.sourceState === 'ready' && c.framesPresented > 0", timeout);

    /// <summary>Waits until <paramref name="predicate"/> (a JS function of window.webConsole) is true.</summary>
    public async Task WaitForAsync(string predicate, TimeSpan? timeout = null, object? arg = null)
    {
        float ms = (float)(timeout ?? DefaultTimeout).TotalMilliseconds;
        try
        {
            await Page.WaitForFunctionAsync(
                $"([arg]) => window.webConsole !== undefined && ({predicate})(window.webConsole, arg)",
                new object?[] { arg },
                new PageWaitForFunctionOptions { Timeout = ms, PollingInterval = 50 });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"page never had {predicate} within {ms} ms; hook: {await HookAsync()}", e);
        }
    }

    /// <summary>The hook as JSON, for failure messages.</summary>
    public async Task<string> HookAsync()
    {
        try
        {
            return await Page.EvaluateAsync<string>(
                "() => window.webConsole === undefined ? 'no hook' : JSON.stringify({ ...window.webConsole, updates: undefined })");
        }
        catch (PlaywrightException e)
        {
            return $"unreadable ({e.Message})";
        }
    }

    public Task<T> GetAsync<T>(string field) => Page.EvaluateAsync<T>($"() => window.webConsole.{field}");

    public Task SetPauseAcksAsync(bool pause) => Page.EvaluateAsync("p => { window.webConsole.pauseAcks = p; }", pause);

    public async Task<long> FrameIdAsync() => (long)await GetAsync<double>("frameId");

    public async Task<long> FramesPresentedAsync() => (long)await GetAsync<double>("framesPresented");

    /// <summary>Updates presented after <paramref name="frameId"/> (from the hook's recent history).</summary>
    public async Task<List<PresentedUpdate>> UpdatesAfterAsync(long frameId)
    {
        string json = await Page.EvaluateAsync<string>(
            "f => JSON.stringify(window.webConsole.updates.filter(u => u.frameId > f))", frameId);
        return JsonSerializer.Deserialize<List<PresentedUpdate>>(json, s_json) ?? [];
    }

    /// <summary>The rectangles of the last presented update (the hook's lastRects).</summary>
    public async Task<List<PresentedRect>> LastRectsAsync()
    {
        string json = await Page.EvaluateAsync<string>("() => JSON.stringify(window.webConsole.lastRects)");
        return JsonSerializer.Deserialize<List<PresentedRect>>(json, s_json) ?? [];
    }

    /// <summary>The canvas backing store's RGBA bytes of <paramref name="r"/>.</summary>
    public async Task<byte[]> ReadPixelsAsync(PixelRect r)
    {
        string base64 = await Page.EvaluateAsync<string>(
            """
            ([x, y, w, h]) => {
                const data = document.getElementById('canvas').getContext('2d').getImageData(x, y, w, h).data;
                let text = '';
                for (let i = 0; i < data.length; i += 0x8000) {
                    text += String.fromCharCode.apply(null, data.subarray(i, i + 0x8000));
                }
                return btoa(text);
            }
            """,
            new[] { r.X, r.Y, r.Width, r.Height });
        return Convert.FromBase64String(base64);
    }

    /// <summary>A hash of every canvas pixel (FNV-1a), to see whether the picture changed.</summary>
    public Task<double> CanvasHashAsync() => Page.EvaluateAsync<double>(
        """
        () => {
            const c = document.getElementById('canvas');
            if (c.width === 0 || c.height === 0) return 0;
            const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let h = 0x811c9dc5;
            for (let i = 0; i < data.length; i++) {
                h = Math.imul(h ^ data[i], 0x01000193) >>> 0;
            }
            return h;
        }
        """);

    /// <summary>Saves a screenshot under the test binaries' screenshots folder; returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(RepoPaths.Screenshots);
        string path = Path.Combine(RepoPaths.Screenshots, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        return path;
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();

    private static void Log(ITestOutputHelper output, string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has finished; a late browser message has nowhere to go.
        }
    }

    private static readonly JsonSerializerOptions s_json = new() { PropertyNameCaseInsensitive = true };
}
