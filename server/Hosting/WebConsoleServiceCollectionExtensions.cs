using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WebConsole.Security;
using WebConsole.Sources;
using WebConsole.Streaming;

namespace WebConsole.Hosting;

/// <summary>Registers WebConsole's services.</summary>
public static class WebConsoleServiceCollectionExtensions
{
    /// <summary>Adds every WebConsole service; each step uses TryAdd so tests can replace a piece first.</summary>
    public static IServiceCollection AddWebConsole(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ConsolesOptions>()
            .Bind(configuration.GetSection("Consoles"))
            .PostConfigure(consoles =>
            {
                // Nothing configured: show the built-in demo so `dotnet run` has something live.
                if (consoles.Count == 0)
                {
                    consoles["demo"] = new ConsoleOptions { Source = "demo" };
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConsolesOptions>, ConsolesOptionsValidator>());
        services.AddOptions<StreamingOptions>()
            .Bind(configuration.GetSection("Streaming"))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection("Security"));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DemoRegionPaths>();
        services.AddHostedService<DemoProducerService>();
        services.TryAddSingleton<IFramebufferSourceFactory, FramebufferSourceFactory>();
        services.TryAddSingleton<ConsoleRegistry>();
        services.AddSignalR(hub =>
        {
            // Viewers send acks and input only; nothing legitimate comes close to this.
            hub.MaximumReceiveMessageSize = 64 * 1024;
        }).AddMessagePackProtocol();
        return services;
    }
}
