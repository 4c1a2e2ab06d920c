using Microsoft.Extensions.Options;
using WebConsole.Sources;

namespace WebConsole.Consoles.Libvirt;

/// <summary>
/// Keeps the domains of <c>Libvirt:Uri</c> that have a D-Bus display in the live console set
/// (a shut-off one listed as waiting for it to start, an undefined one removed). On connecting, and on
/// every lifecycle event libvirt reports (define, undefine, start, stop...), it lists the domains
/// again and syncs the catalog: no polling. A libvirtd that goes away (close callback, keep-alive)
/// leaves its consoles listed as "waiting for libvirtd: ..." while it reconnects with a backoff
/// (0.5 s doubling to 10 s); then it syncs again. All libvirt calls but the graphics descriptors
/// are made on one thread of its own; libvirt's callbacks only signal it.
/// </summary>
internal sealed partial class LibvirtConsoleProvider(
    ConsoleCatalog catalog, LibvirtGraphics graphics, IOptions<LibvirtOptions> options, ILogger<LibvirtConsoleProvider> logger)
    : IHostedService, IDisposable
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    private readonly AutoResetEvent _signal = new(false);
    private readonly ManualResetEventSlim _stopping = new(false);
    private readonly HashSet<string> _noted = new(StringComparer.Ordinal);
    private readonly LibvirtOptions _options = options.Value;
    private Thread? _thread;
    private volatile bool _changed;

    /// <summary>Syncs done since start (tests wait on it rather than on time).</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    private long _syncs;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Registered before any connection exists, as libvirt asks; a missing libvirt0 stops start-up here, named.
        try
        {
            LibvirtEventLoop.EnsureStarted();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new InvalidOperationException(
                $"Libvirt:Uri is set ({_options.Uri}) but libvirt.so.0 cannot be loaded (Debian: apt-get install libvirt0): {e.Message}", e);
        }
        _thread = new Thread(Run) { IsBackground = true, Name = "libvirt provider" };
        _thread.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Set();
        _signal.Set();
        _thread?.Join(TimeSpan.FromSeconds(5));
        return Task.CompletedTask;
    }

    private void Run()
    {
        try
        {
            Loop();
        }
        catch (Exception e) when (_stopping.IsSet && e is ObjectDisposedException)
        {
            // The catalog went first at shutdown.
        }
    }

    private void Loop()
    {
        TimeSpan backoff = MinBackoff;
        string? outage = null;
        while (!_stopping.IsSet)
        {
            LibvirtConnection connection;
            try
            {
                connection = LibvirtConnection.Open(_options.Uri, _options.ReadOnly, Changed, Closed);
            }
            catch (Exception e) when (e is IOException or DllNotFoundException or EntryPointNotFoundException)
            {
                if (outage is null)
                {
                    LogUnreachable(_options.Uri, e.Message);
                }
                outage ??= e.Message;
                Waiting(e.Message);
                if (_stopping.Wait(backoff))
                {
                    return;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                continue;
            }
            if (outage is not null)
            {
                LogReconnected(_options.Uri);
            }
            else
            {
                LogConnected(_options.Uri);
            }
            outage = null;
            backoff = MinBackoff;
            graphics.Attach(connection);
            string why = Serve(connection);
            graphics.Detach(why);
            connection.Dispose();
            if (_stopping.IsSet)
            {
                return;
            }
            LogLost(_options.Uri, why);
            outage = why;
            Waiting(why);
            // A daemon that restarts takes a moment to listen again; the first retry waits the least backoff.
            if (_stopping.Wait(backoff))
            {
                return;
            }
        }
    }

    /// <summary>Syncs now and after every event, until the connection ends; returns why it ended.</summary>
    private string Serve(LibvirtConnection connection)
    {
        _changed = true;
        while (!_stopping.IsSet)
        {
            // The connection's own close reason: a late callback of an earlier connection cannot end this one.
            if (connection.CloseReason is string closed)
            {
                return closed;
            }
            if (_changed)
            {
                _changed = false;
                try
                {
                    Sync(connection.ListDomains());
                }
                catch (LibvirtException e)
                {
                    if (!connection.IsAlive)
                    {
                        return connection.CloseReason ?? e.Message;
                    }
                    LogListFailed(_options.Uri, e.Message);
                }
                catch (Exception e) when (!_stopping.IsSet && e is not ObjectDisposedException)
                {
                    // Whatever a domain said, the provider keeps going: the next event syncs again.
                    LogSyncFailed(e, _options.Uri);
                }
            }
            _signal.WaitOne();
        }
        return "stopping";
    }

    private void Sync(List<LibvirtDomain> domains)
    {
        var notes = new List<string>();
        Dictionary<string, ConsoleDefinition> wanted = LibvirtConsolePlan.Wanted(domains, _options, LibvirtBusAccess.Refusal, notes);
        foreach (string note in notes)
        {
            if (_noted.Add(note))
            {
                LogDomainNote(note);
            }
        }
        catalog.Sync(ConsoleOrigin.Libvirt, wanted);
        Interlocked.Increment(ref _syncs);
    }

    /// <summary>libvirtd is away: its consoles stay, each saying so (the same text until the next outage).</summary>
    private void Waiting(string why)
    {
        var waiting = new Dictionary<string, ConsoleDefinition>(StringComparer.Ordinal);
        var shown = new ConsoleDefinition(SourceSpec.Unavailable($"waiting for libvirtd: {why}"));
        foreach (ConsoleEntry entry in catalog.Entries)
        {
            if (entry.Origin == ConsoleOrigin.Libvirt)
            {
                waiting[entry.Id] = entry.Definition.Spec.Kind == SourceKind.Unavailable
                    && entry.Definition.Spec.Path!.StartsWith("waiting for libvirtd", StringComparison.Ordinal)
                    ? entry.Definition
                    : shown;
            }
        }
        catalog.Sync(ConsoleOrigin.Libvirt, waiting);
    }

    private void Changed()
    {
        _changed = true;
        _signal.Set();
    }

    private void Closed(string why) => _signal.Set();

    public void Dispose()
    {
        _stopping.Set();
        _signal.Set();
    }
}
