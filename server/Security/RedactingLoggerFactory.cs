using System.Collections.Concurrent;

namespace WebConsole.Security;

/// <summary>
/// The application's logger factory, wrapped so that framework categories that log request URLs
/// (<c>Microsoft.AspNetCore.*</c>: hosting's "Request starting ...?access_token=...", routing,
/// Kestrel, SignalR) never write a ticket, whatever log level is configured. Hosting logs before any
/// middleware runs, so the query cannot be cleaned in the pipeline instead.
/// </summary>
internal sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public ILogger CreateLogger(string categoryName)
    {
        ILogger logger = inner.CreateLogger(categoryName);
        return categoryName.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            ? _loggers.GetOrAdd(categoryName, static (_, l) => new RedactingLogger(l), logger)
            : logger;
    }

    public void Dispose() => inner.Dispose();
}
