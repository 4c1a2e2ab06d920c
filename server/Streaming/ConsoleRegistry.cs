using System.Collections.Frozen;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using WebConsole.Hosting;
using WebConsole.Hubs;
using WebConsole.Sources;
using WebConsole.Telemetry;

namespace WebConsole.Streaming;

/// <summary>Every configured console, by id.</summary>
internal sealed class ConsoleRegistry : IDisposable
{
    private readonly FrozenDictionary<string, ConsoleSession> _sessions;

    public ConsoleRegistry(IOptions<ConsolesOptions> consoles, IFramebufferSourceFactory sources, IHubContext<ConsoleHub> hub,
        IOptions<StreamingOptions> streaming, ILoggerFactory loggers, ConsoleMetrics metrics, TimeProvider time)
    {
        var sessions = new Dictionary<string, ConsoleSession>(StringComparer.Ordinal);
        foreach (var (id, console) in consoles.Value)
        {
            if (!SourceSpec.TryParse(console.Source, out SourceSpec? spec, out string? error))
            {
                // Start-up validation has already refused this; only a caller skipping it gets here.
                throw new InvalidOperationException($"Consoles:{id}:Source: {error}");
            }
            sessions[id] = new ConsoleSession(id, spec!, sources.Create(id, spec!), hub, streaming, loggers, metrics, time);
        }
        _sessions = sessions.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IEnumerable<ConsoleSession> All => _sessions.Values;

    public bool TryGet(string id, out ConsoleSession? session) => _sessions.TryGetValue(id, out session);

    public void Dispose()
    {
        foreach (ConsoleSession session in _sessions.Values)
        {
            session.Dispose();
        }
    }
}
