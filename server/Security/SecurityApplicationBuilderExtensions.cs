namespace WebConsole.Security;

/// <summary>Puts access control in front of everything else the application serves.</summary>
internal static class SecurityApplicationBuilderExtensions
{
    /// <summary>Security headers on every response; origin and ticket checks for /hubs; API keys for /api; the tickets endpoint.</summary>
    public static WebApplication UseWebConsoleSecurity(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<HubAccessMiddleware>();
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(HubAccessMiddleware.HubPath),
            hub => hub.UseCors(SecurityServiceCollectionExtensions.CorsPolicy));
        app.UseMiddleware<ApiAccessMiddleware>();
        app.MapWebConsoleTickets();
        return app;
    }
}
