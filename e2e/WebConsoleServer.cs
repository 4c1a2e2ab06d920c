using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using WebConsole.Testing;
using Xunit.Abstractions;

namespace WebConsole.E2E;

/// <summary>
/// The real server as a child process (<c>dotnet server/bin/&lt;Configuration&gt;/net10.0/WebConsole.Server.dll</c>),
/// on a port the OS picks unless one is given; its output goes to the test's log when it is
/// disposed, and the process tree is killed.
/// </summary>
internal sealed partial class WebConsoleServer : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log;
    private readonly ITestOutputHelper? _output;
    private bool _disposed;

    private WebConsoleServer(Process process, Uri baseAddress, ConcurrentQueue<string> log, ITestOutputHelper? output)
    {
        _process = process;
        BaseAddress = baseAddress;
        _log = log;
        _output = output;
    }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    /// <summary>The server process's resident memory now.</summary>
    public long WorkingSet
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    public Uri Url(string path) => new(BaseAddress, path);

    /// <summary>What the server has written so far, a line at a time.</summary>
    public IReadOnlyCollection<string> Output => _log;

    /// <summary>Starts the server with <paramref name="consoles"/> (and further <paramref name="arguments"/>) and waits until it listens.</summary>
    public static async Task<WebConsoleServer> StartAsync(
        IEnumerable<ServerConsole> consoles, ITestOutputHelper? output, int port = 0, IEnumerable<string>? arguments = null)
    {
        var all = new List<string>();
        foreach (ServerConsole console in consoles)
        {
            all.Add($"--Consoles:{console.Id}:Source={console.Source}");
            if (console.Display is not null)
            {
                all.Add($"--Consoles:{console.Id}:Display={console.Display}");
            }
        }
        all.AddRange(arguments ?? []);
        var log = new ConcurrentQueue<string>();
        (Process process, Uri address) = await ServerProcess.StartAsync(
            ServerProcess.Info(RepoPaths.Root, RepoPaths.ServerDll, $"http://127.0.0.1:{port}", all), log, s_startTimeout);
        return new WebConsoleServer(process, address, log, output);
    }

    /// <summary>
    /// Stops the server as a service manager would (SIGTERM: a graceful shutdown that closes the
    /// viewers' connections and removes the demo's region), killing it if it does not exit in time.
    /// </summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited && SendSignal(_process.Id, SigTerm) == 0)
        {
            try
            {
                using var graceful = new CancellationTokenSource(s_stopTimeout);
                await _process.WaitForExitAsync(graceful.Token);
            }
            catch (OperationCanceledException)
            {
                _output?.WriteLine("server ignored SIGTERM; killing it");
            }
        }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        using var timeout = new CancellationTokenSource(s_stopTimeout);
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            await StopAsync();
        }
        finally
        {
            if (_output is not null)
            {
                _output.WriteLine($"--- server {BaseAddress} output ---");
                foreach (string line in _log)
                {
                    _output.WriteLine(line);
                }
            }
            _process.Dispose();
        }
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int SendSignal(int pid, int signal);
}
