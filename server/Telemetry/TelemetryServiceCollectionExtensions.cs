using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;

namespace WebConsole.Telemetry;

/// <summary>Registers the <c>WebConsole</c> meter and the OpenTelemetry Prometheus exporter behind <c>/metrics</c>.</summary>
internal static class TelemetryServiceCollectionExtensions
{
    public static IServiceCollection AddWebConsoleTelemetry(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<ConsoleMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => ((IDeferredMeterProviderBuilder)metrics
            .AddMeter(ConsoleMetrics.MeterName, Security.AccessHubFilter.MeterName)
            .AddPrometheusExporter())
            .Configure((provider, builder) =>
            {
                // Only this host's meter: another host in the same process (tests, embedders) has a
                // "WebConsole" meter of its own, and mixing them breaks the whole scrape.
                IMeterFactory own = provider.GetRequiredService<IMeterFactory>();
                builder.AddView(instrument => instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, own)
                    ? null
                    : MetricStreamConfiguration.Drop);
            }));
        return services;
    }

    /// <summary>
    /// Maps <c>GET /metrics</c> (Prometheus text format; access in ApiAccessMiddleware) and
    /// <c>GET /healthz</c> (the overall status for anyone, the consoles for operators).
    /// </summary>
    public static IEndpointRouteBuilder MapWebConsoleTelemetry(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint("/metrics");
        endpoints.MapGet("/healthz", (HttpContext context, Consoles.ConsoleCatalog registry, Security.OperatorAccess access) =>
            ConsoleHealth.CheckAsync(registry, detailed: access.MaySeeDetail(context)));
        return endpoints;
    }
}
