using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WebConsole.Sources.Qemu;

namespace WebConsole.Consoles.Libvirt;

/// <summary>Registers the libvirt provider when <c>Libvirt:Uri</c> is set; without it nothing of libvirt is loaded.</summary>
internal static class LibvirtServiceCollectionExtensions
{
    public static IServiceCollection AddWebConsoleLibvirt(this IServiceCollection services, IConfiguration configuration)
    {
        IConfigurationSection section = configuration.GetSection("Libvirt");
        if (string.IsNullOrEmpty(section["Uri"]))
        {
            return services;
        }
        services.AddOptions<LibvirtOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LibvirtOptions>, LibvirtOptionsValidator>());
        services.TryAddSingleton<LibvirtGraphics>();
        // The source factory opens p2p domains' displays through it (an optional dependency of the factory).
        services.TryAddSingleton<IQemuGraphicsOpener>(static provider => provider.GetRequiredService<LibvirtGraphics>());
        services.TryAddSingleton<LibvirtConsoleProvider>();
        services.AddHostedService(static provider => provider.GetRequiredService<LibvirtConsoleProvider>());
        return services;
    }
}
