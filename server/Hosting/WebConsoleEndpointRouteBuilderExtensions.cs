using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using WebConsole.Consoles;
using WebConsole.Hubs;
using WebConsole.Security;
using WebConsole.Streaming;
using WebConsole.Telemetry;

namespace WebConsole.Hosting;

/// <summary>Maps WebConsole's pages, API and hub.</summary>
public static class WebConsoleEndpointRouteBuilderExtensions
{
    /// <summary>Maps the static client, <c>/console/{id}</c>, <c>/api/consoles</c>, <c>/healthz</c>, <c>/metrics</c> and the hub.</summary>
    public static WebApplication MapWebConsole(this WebApplication app)
    {
        app.UseWebConsoleProxies();
        app.UseWebConsolePathBase();
        // Routing after the path base is known (WebApplication would otherwise route first).
        app.UseRouting();
        app.UseWebConsoleHttps();
        app.UseWebConsoleSecurity();
        app.UseMiddleware<WholeMessageWebSocketMiddleware>();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        if (Directory.Exists(ContentLocator.ClientLibraries))
        {
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(ContentLocator.ClientLibraries),
                RequestPath = "/lib",
            });
        }
        // An unknown id gets the page too, as 404: it says "unknown console" in its own look (a console
        // removed before a reload, inside a dashboard's frame too) and tells an embedding parent.
        app.MapGet("/console/{id}", async (string id, ConsoleCatalog catalog, IWebHostEnvironment env) =>
            catalog.TryGet(id, out _)
                ? Results.File(Path.Combine(env.WebRootPath, "console.html"), "text/html; charset=utf-8")
                : Results.Content(await File.ReadAllTextAsync(Path.Combine(env.WebRootPath, "console.html")).ConfigureAwait(false),
                    "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound));
        app.MapConsoleApi();
        // Under /api, so it needs the operator's key like the API it describes.
        app.MapOpenApi("/api/openapi/{documentName}.json");
        app.MapWebConsoleTelemetry();
        // Outside /api, so it needs no API key: a console page opened with a ticket (embedded by a
        // dashboard) must learn which parents it may talk to. Not a secret: the CSP names the framers.
        app.MapGet(ClientConfig.Path, (IOptions<SecurityOptions> security) =>
            Results.Ok(new ClientConfig(security.Value.AllowedOrigins.ToArray())));
        app.MapHub<ConsoleHub>("/hubs/console");
        return app;
    }
}
