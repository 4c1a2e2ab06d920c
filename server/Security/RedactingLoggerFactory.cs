using System.Collections.Concurrent;

namespace WebConsole.Security;

/// <summary>
/// The application's logger factory, wrapped so that no category ever writes a secret, whatever log
/// level is configured: framework categories log request URLs (hosting's "Request starting
/// ...?access_token=...", routing, Kestrel, SignalR's invocations, HTTP logging's headers) before any
/// middleware could clean them, and an exception message may quote what a client sent.
/// </summary>
internal sealed class RedactingLoggerFactory(ILoggerFactory inner, SecretRedactor redactor) : ILoggerFactory
{
    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);
    private readonly ILoggerFactory _inner = inner;
    private readonly SecretRedactor _redactor = redactor;

    public void AddProvider(ILoggerProvider provider) => _inner.AddProvider(provider);

    public ILogger CreateLogger(string categoryName) =>
        _loggers.GetOrAdd(categoryName, static (name, self) => new RedactingLogger(self._inner.CreateLogger(name), self._redactor), this);

    public void Dispose() => _inner.Dispose();
}
