namespace WebConsole.Hosting;

/// <summary>Maps WebConsole's endpoints.</summary>
public static class WebConsoleEndpointRouteBuilderExtensions
{
    /// <summary>Maps the health endpoint (more with the streaming work).</summary>
    public static IEndpointRouteBuilder MapWebConsole(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
        return endpoints;
    }
}
