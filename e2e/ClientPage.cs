using Microsoft.Playwright;
using Xunit.Abstractions;

namespace WebConsole.E2E;

/// <summary>
/// A blank page on a made-up origin whose /core/ and /app/ files are the repository's
/// wwwroot, served by Playwright itself: the client library tested in the browser without
/// a server.
/// </summary>
internal sealed class ClientPage : IAsyncDisposable
{
    private const string Origin = "http://client.test";

    private readonly IBrowserContext _context;

    private ClientPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
    }

    public IPage Page { get; }

    public static async Task<ClientPage> OpenAsync(IBrowser browser, ITestOutputHelper output)
    {
        IBrowserContext context = await browser.NewContextAsync();
        context.SetDefaultTimeout((float)ConsolePage.DefaultTimeout.TotalMilliseconds);
        string root = Path.Combine(RepoPaths.Root, "wwwroot");
        await context.RouteAsync($"{Origin}/**", async route =>
        {
            string path = new Uri(route.Request.Url).AbsolutePath;
            if (path == "/")
            {
                await route.FulfillAsync(new RouteFulfillOptions
                {
                    ContentType = "text/html",
                    Body = "<!doctype html><html><body><canvas id=\"canvas\"></canvas></body></html>",
                });
                return;
            }
            string file = Path.GetFullPath(Path.Combine(root, path.TrimStart('/')));
            if (!file.StartsWith(root + "/", StringComparison.Ordinal) || !File.Exists(file))
            {
                await route.FulfillAsync(new RouteFulfillOptions { Status = 404 });
                return;
            }
            await route.FulfillAsync(new RouteFulfillOptions { ContentType = "text/javascript", Path = file });
        });
        IPage page = await context.NewPageAsync();
        page.Console += (_, message) => output.WriteLine($"[client console.{message.Type}] {message.Text}");
        page.PageError += (_, error) => output.WriteLine($"[client page error] {error}");
        await page.GotoAsync($"{Origin}/");
        return new ClientPage(context, page);
    }

    /// <summary>Runs an async JS function (given <c>arg</c>) in the page and returns its result.</summary>
    public Task<T> RunAsync<T>(string asyncFunction, object? arg = null) => Page.EvaluateAsync<T>(asyncFunction, arg);

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
