using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.Options;

namespace WebConsole.Hosting;

/// <summary>HTTP to HTTPS redirection and HSTS, as <see cref="HttpsOptions"/> decides.</summary>
internal static class HttpsApplicationBuilderExtensions
{
    public static IServiceCollection AddWebConsoleHttps(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HttpsOptions>()
            .Bind(configuration.GetSection(HttpsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<HstsOptions>().Configure<IOptions<HttpsOptions>>((hsts, https) =>
        {
            hsts.MaxAge = TimeSpan.FromDays(https.Value.HstsMaxAgeDays);
            hsts.IncludeSubDomains = https.Value.HstsIncludeSubDomains;
        });
        services.AddHttpsRedirection(o => o.RedirectStatusCode = StatusCodes.Status308PermanentRedirect);
        return services;
    }

    public static WebApplication UseWebConsoleHttps(this WebApplication app)
    {
        HttpsOptions https = app.Services.GetRequiredService<IOptions<HttpsOptions>>().Value;
        bool beyondLoopback = ListenAddresses.ServesHttpsBeyondLoopback(app.Configuration);
        if (https.Hsts ?? beyondLoopback)
        {
            app.UseHsts();
        }
        if (https.RedirectHttp ?? beyondLoopback)
        {
            app.UseHttpsRedirection();
        }
        return app;
    }
}
