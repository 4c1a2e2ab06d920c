using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using WebConsole.Sources;
using WebConsole.Streaming;

namespace WebConsole.Consoles;

/// <summary>
/// The live console set, by id. Configuration, the management API and libvirt each feed it; a
/// console belongs to the origin that created it, and only that origin changes or removes it.
/// Reads (<see cref="TryGet"/>, <see cref="All"/>) take no lock; changes are serialized, and a
/// removed or replaced session is stopped off the caller's thread (a source stuck on its peer may
/// take its deadline to let go).
/// </summary>
internal sealed partial class ConsoleCatalog : IDisposable
{
    private readonly ConcurrentDictionary<string, ConsoleEntry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _changes = new();
    private readonly ConsoleSessionFactory _sessions;
    private readonly IOptionsMonitor<ConsolesOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<Task> _stopping = [];
    private bool _disposed;
    private long _version;
    private long _lastIncarnation;
    private TaskCompletionSource _nextChange = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConsoleCatalog(ConsoleSessionFactory sessions, IOptionsMonitor<ConsolesOptions> options, TimeProvider time, ILogger<ConsoleCatalog> logger)
    {
        _sessions = sessions;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Counts the changes to the set; <see cref="WaitForChangeAsync"/> waits for the next.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>
    /// Completes when <see cref="Version"/> passes <paramref name="seen"/> (at once if it has), or after
    /// <paramref name="timeout"/>: pages and dashboards learn of consoles coming and going without polling.
    /// </summary>
    public async Task<long> WaitForChangeAsync(long seen, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task next;
        lock (_changes)
        {
            if (_version != seen)
            {
                return _version;
            }
            next = _nextChange.Task;
        }
        try
        {
            await next.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        return Version;
    }

    private void Changed()
    {
        TaskCompletionSource changed;
        lock (_changes)
        {
            _version++;
            changed = _nextChange;
            _nextChange = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    /// <summary>Every console now, in no particular order.</summary>
    public IEnumerable<ConsoleEntry> Entries => _entries.Values;

    /// <summary>Every console's session now.</summary>
    public IEnumerable<ConsoleSession> All => _entries.Values.Select(static e => e.Session);

    public int Count => _entries.Count;

    public bool TryGet(string id, out ConsoleSession? session)
    {
        bool found = _entries.TryGetValue(id, out ConsoleEntry? entry);
        session = entry?.Session;
        return found;
    }

    public bool TryGetEntry(string id, out ConsoleEntry? entry) => _entries.TryGetValue(id, out entry);

    /// <summary>
    /// Creates the console or points it at another source. An equal definition is a no-op; another
    /// one moves the console's viewers to a new session on the new source (they get its frame and
    /// size without reloading). A console of another origin is refused.
    /// </summary>
    public CatalogResult Set(string id, ConsoleDefinition definition, ConsoleOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (!ConsoleDefinition.IsValidId(id))
        {
            throw new ArgumentException(ConsoleDefinition.IdRule, nameof(id));
        }
        CatalogResult result;
        ConsoleSession? retired = null;
        lock (_changes)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_entries.TryGetValue(id, out ConsoleEntry? existing))
            {
                if (existing.Origin != origin)
                {
                    return new CatalogResult(CatalogOutcome.Conflict,
                        $"console '{id}' comes from {Describe(existing.Origin)}; only there can it be changed or removed");
                }
                if (existing.Definition == definition)
                {
                    return CatalogResult.Unchanged with { Entry = existing };
                }
                ConsoleSession replacement = _sessions.Create(id, definition);
                ConsoleEntry changed = existing with { Definition = definition, Session = replacement };
                _entries[id] = changed;
                existing.Session.HandOver(replacement);
                retired = existing.Session;
                LogChanged(id, origin, definition.Spec);
                result = CatalogResult.Changed with { Entry = changed };
            }
            else
            {
                int max = _options.CurrentValue.MaxConsoles;
                if (_entries.Count >= max)
                {
                    return new CatalogResult(CatalogOutcome.Limit,
                        $"the server holds {max} consoles, its limit (Consoles:MaxConsoles); remove one first");
                }
                long incarnation = origin == ConsoleOrigin.Configuration ? 0 : NextIncarnation();
                var created = new ConsoleEntry(id, definition, origin, _sessions.Create(id, definition), incarnation);
                _entries[id] = created;
                LogAdded(id, origin, definition.Spec);
                result = CatalogResult.Created with { Entry = created };
            }
        }
        if (retired is not null)
        {
            Stop(retired);
        }
        Changed();
        return result;
    }

    /// <summary>Removes the console: its viewers see "console removed" and are disconnected, its session stops.</summary>
    public CatalogResult Remove(string id, ConsoleOrigin origin)
    {
        ConsoleEntry? entry;
        lock (_changes)
        {
            if (_disposed || !_entries.TryGetValue(id, out entry))
            {
                return new CatalogResult(CatalogOutcome.NotFound, $"unknown console '{id}'");
            }
            if (entry.Origin != origin)
            {
                return new CatalogResult(CatalogOutcome.Conflict,
                    $"console '{id}' comes from {Describe(entry.Origin)}; only there can it be changed or removed");
            }
            _entries.TryRemove(id, out _);
            entry.Session.Retire();
            LogRemoved(id, origin);
        }
        Stop(entry.Session);
        Changed();
        return CatalogResult.Removed;
    }

    /// <summary>
    /// Makes the consoles of <paramref name="origin"/> exactly <paramref name="wanted"/>: adds what is
    /// new, changes what differs, removes the rest. An id another origin owns is skipped and logged.
    /// </summary>
    public void Sync(ConsoleOrigin origin, IReadOnlyDictionary<string, ConsoleDefinition> wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        foreach (ConsoleEntry entry in _entries.Values.Where(e => e.Origin == origin && !wanted.ContainsKey(e.Id)).ToList())
        {
            Remove(entry.Id, origin);
        }
        foreach (var (id, definition) in wanted)
        {
            CatalogResult result = Set(id, definition, origin);
            if (!result.Succeeded)
            {
                LogSkipped(id, origin, result.Reason);
            }
        }
    }

    /// <summary>Milliseconds since 1970 at creation, and always more than the last one given (under the change lock).</summary>
    private long NextIncarnation()
    {
        _lastIncarnation = Math.Max(_lastIncarnation + 1, _time.GetUtcNow().ToUnixTimeMilliseconds());
        return _lastIncarnation;
    }

    /// <summary>Stops a session that left the set, off the caller's thread; Dispose waits for these.</summary>
    private void Stop(ConsoleSession session)
    {
        Task stop = Task.Factory.StartNew(() =>
        {
            try
            {
                session.Dispose();
            }
            catch (Exception e)
            {
                LogStopFailed(e, session.Id);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        lock (_stopping)
        {
            _stopping.RemoveAll(static t => t.IsCompleted);
            _stopping.Add(stop);
        }
    }

    /// <summary>Sessions still stopping (tests wait for them before counting threads and descriptors).</summary>
    public Task Stopped()
    {
        lock (_stopping)
        {
            return Task.WhenAll(_stopping.ToArray());
        }
    }

    internal static string Describe(ConsoleOrigin origin) => origin switch
    {
        ConsoleOrigin.Configuration => "configuration",
        ConsoleOrigin.Api => "the API",
        ConsoleOrigin.Libvirt => "libvirt",
        _ => origin.ToString(),
    };

    public void Dispose()
    {
        List<ConsoleEntry> all;
        lock (_changes)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            all = [.. _entries.Values];
            _entries.Clear();
        }
        // Side by side: a server with many consoles stops in the time of the slowest, not of all.
        Parallel.ForEach(all, new ParallelOptions { MaxDegreeOfParallelism = 16 }, static e => e.Session.Dispose());
        Stopped().Wait(TimeSpan.FromSeconds(5));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Console {ConsoleId} added from {Origin}: {Source}")]
    private partial void LogAdded(string consoleId, ConsoleOrigin origin, SourceSpec source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Console {ConsoleId} from {Origin} now shows {Source}; its viewers moved to it")]
    private partial void LogChanged(string consoleId, ConsoleOrigin origin, SourceSpec source);

    [LoggerMessage(Level = LogLevel.Error, Message = "Console {ConsoleId}: its session failed to stop; what it held may stay")]
    private partial void LogStopFailed(Exception e, string consoleId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Console {ConsoleId} removed by {Origin}")]
    private partial void LogRemoved(string consoleId, ConsoleOrigin origin);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Console {ConsoleId} from {Origin} left out: {Reason}")]
    private partial void LogSkipped(string consoleId, ConsoleOrigin origin, string? reason);
}
