using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace WebConsole.Security;

/// <summary>Registers access control: options, tickets, origin policy, hub filter, log redaction.</summary>
internal static class SecurityServiceCollectionExtensions
{
    public const string CorsPolicy = "WebConsoleHub";

    public static IServiceCollection AddWebConsoleSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SecurityOptions>()
            .Bind(configuration.GetSection("Security"))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>());

        services.TryAddSingleton(sp =>
        {
            string? text = sp.GetRequiredService<IOptions<SecurityOptions>>().Value.TicketSigningKey;
            return text is not null && SigningKey.TryParse(text, out byte[]? bytes, out _) ? new SigningKey(bytes, generated: false) : SigningKey.Random();
        });
        services.TryAddSingleton<TicketService>();
        services.TryAddSingleton<SingleUseTickets>();
        services.TryAddSingleton<AccessPolicy>();
        services.TryAddSingleton<OriginPolicy>();
        services.TryAddSingleton<ApiKeyVerifier>();
        services.TryAddSingleton<OperatorAccess>();
        services.TryAddSingleton<AccessHubFilter>();
        services.AddHostedService<SecurityStartupLog>();

        services.AddOptions<HubOptions>().Configure<IOptions<SecurityOptions>>((hub, security) =>
        {
            hub.AddFilter<AccessHubFilter>();
            hub.MaximumReceiveMessageSize = security.Value.MaxMessageBytes;
        });
        // An allowed dashboard may also open the hub from its own page (negotiate is a cross-origin POST).
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<OriginPolicy>((cors, origins) =>
            cors.AddPolicy(CorsPolicy, policy => policy.WithOrigins([.. origins.Allowed]).AllowAnyHeader().WithMethods("GET", "POST")));

        RedactFrameworkLogs(services);
        return services;
    }

    /// <summary>Wraps the registered logger factory so no log carries a ticket or an API key.</summary>
    private static void RedactFrameworkLogs(IServiceCollection services)
    {
        ServiceDescriptor? original = services.LastOrDefault(d => d.ServiceType == typeof(ILoggerFactory));
        if (original is null || original.ImplementationType == typeof(RedactingLoggerFactory))
        {
            return;
        }
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new RedactingLoggerFactory(
            original switch
            {
                { ImplementationInstance: ILoggerFactory instance } => instance,
                { ImplementationFactory: { } factory } => (ILoggerFactory)factory(sp),
                _ => (ILoggerFactory)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!),
            },
            // Read from configuration, not the validated options: the logger factory comes first,
            // and a bad key must still be redacted while start-up reports it.
            new SecretRedactor(sp.GetRequiredService<IConfiguration>().GetSection("Security:ApiKeys").GetChildren().Select(c => c.Value)))));
    }
}
