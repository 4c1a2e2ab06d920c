using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WebConsole.Consoles;
using WebConsole.Consoles.Libvirt;
using WebConsole.Security;
using WebConsole.Sources.Demo;
using WebConsole.Sources;
using WebConsole.Sources.Clipboard;
using WebConsole.Streaming;
using WebConsole.Telemetry;

namespace WebConsole.Hosting;

/// <summary>Registers WebConsole's services.</summary>
public static class WebConsoleServiceCollectionExtensions
{
    /// <summary>Adds every WebConsole service; each step uses TryAdd so tests can replace a piece first.</summary>
    public static IServiceCollection AddWebConsole(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // Read again on every configuration change; validated by ConfigurationConsoles, which stops
        // start-up on a bad section and refuses a bad later edit (an IValidateOptions here would
        // throw inside the reload instead).
        IConfigurationSection consolesSection = configuration.GetSection("Consoles");
        services.AddOptions<ConsolesOptions>()
            .Configure(consoles =>
            {
                ConsolesOptions.Bind(consolesSection, consoles);
                // Nothing configured at all: the built-in demo, so `dotnet run` has something live.
                if (consoles.Count == 0 && string.IsNullOrEmpty(configuration["Libvirt:Uri"]))
                {
                    consoles["demo"] = new ConsoleOptions { Source = "demo" };
                }
            });
        services.TryAddSingleton<IOptionsChangeTokenSource<ConsolesOptions>>(new ConfigurationChangeTokenSource<ConsolesOptions>(consolesSection));
        services.AddOptions<StreamingOptions>()
            .Bind(configuration.GetSection("Streaming"))
            .ValidateDataAnnotations()
            .Validate(o => o.MaxTotalPixels >= o.MaxPixels, "Streaming:MaxTotalPixels must be at least Streaming:MaxPixels")
            .Validate(o => o.MinJpegQuality <= o.JpegQuality, "Streaming:MinJpegQuality must be at most Streaming:JpegQuality")
            .ValidateOnStart();
        services.TryAddSingleton(provider =>
        {
            StreamingOptions streaming = provider.GetRequiredService<IOptions<StreamingOptions>>().Value;
            return new Region.PixelBudget(streaming.MaxPixels, streaming.MaxTotalPixels);
        });

        services.AddOptions<ClipboardOptions>()
            .Bind(configuration.GetSection("Clipboard"))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClipboardOptions>, ClipboardOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DemoRegionPaths>();
        services.TryAddSingleton<IFramebufferSourceFactory, FramebufferSourceFactory>();
        services.TryAddSingleton<ConsoleSessionFactory>();
        services.TryAddSingleton<ConsoleCatalog>();
        services.AddHostedService<ConfigurationConsoles>();
        services.AddWebConsoleLibvirt(configuration);
        services.AddWebConsoleTelemetry();
        // Viewers send acks, input and clipboard text in pieces of 32 KiB: the message size cap
        // (Security:MaxMessageBytes, 64 KiB) is set there.
        // SignalR's keep-alive stays at its defaults (15 s pings, 30 s client timeout): the browser
        // client schedules its own ping only when a message arrives, so slower server pings made
        // the server time out quiet viewers (measured: repaints on a static screen).
        services.TryAddSingleton<ClientRefusals>();
        services.AddSignalR().AddMessagePackProtocol();
        services.AddOpenApi();
        services.AddWebConsoleSecurity(configuration);
        services.AddWebConsoleHttps(configuration);
        services.AddWebConsoleProxies(configuration);
        return services;
    }
}
