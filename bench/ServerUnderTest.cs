using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using WebConsole.Testing;

namespace WebConsole.Bench;

/// <summary>
/// The Release server as a child process (<c>dotnet server/bin/Release/net10.0/WebConsole.Server.dll</c>,
/// which runs the app in the <c>dotnet</c> process itself), on a port the OS picks, with what it
/// costs read from outside: CPU time from /proc and bytes sent from the kernel's TCP counters.
/// </summary>
internal sealed partial class ServerUnderTest : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log;

    private ServerUnderTest(Process process, Uri baseAddress, ConcurrentQueue<string> log)
    {
        _process = process;
        BaseAddress = baseAddress;
        _log = log;
    }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseAddress { get; }

    public int Port => BaseAddress.Port;

    public int ProcessId => _process.Id;

    /// <summary>What the server printed, for a failure message.</summary>
    public string Log => string.Join('\n', _log);

    public Uri ConsoleUrl(string id, string query = "") =>
        new(BaseAddress, $"console/{id}?scale=off{(query.Length > 0 ? "&" + query : "")}");

    /// <summary>
    /// Starts the server with one region console per (id, path), and <paramref name="extra"/>
    /// arguments (further consoles, options), and waits until it listens.
    /// </summary>
    public static Task<ServerUnderTest> StartAsync(IEnumerable<(string Id, string RegionPath)> consoles, IEnumerable<string>? extra = null) =>
        StartWithSourcesAsync(consoles.Select(c => (c.Id, $"region:{c.RegionPath}")), extra);

    /// <summary>Starts the server with one console per (id, <c>Consoles:&lt;id&gt;:Source</c> value), and <paramref name="extra"/> arguments, and waits until it listens.</summary>
    public static async Task<ServerUnderTest> StartWithSourcesAsync(IEnumerable<(string Id, string Source)> consoles, IEnumerable<string>? extra = null)
    {
        var arguments = new List<string> { "--Logging:LogLevel:Default", "Warning" };
        foreach ((string id, string source) in consoles)
        {
            arguments.Add($"--Consoles:{id}:Source={source}");
        }
        arguments.AddRange(extra ?? []);
        var log = new ConcurrentQueue<string>();
        (Process process, Uri address) = await ServerProcess.StartAsync(
            ServerProcess.Info(RepoLayout.Root, RepoLayout.ServerDll, "http://127.0.0.1:0", arguments), log, s_startTimeout);
        return new ServerUnderTest(process, address, log);
    }

    /// <summary>User plus system CPU time of every thread of the server so far (utime + stime of /proc/PID/stat).</summary>
    public TimeSpan CpuTime() => ProcStat.CpuTime(_process.Id);

    /// <summary>Bytes the server has sent on each of its established connections (see <see cref="TcpCounters"/>).</summary>
    public Dictionary<string, long> BytesSentPerConnection() => TcpCounters.BytesSentFromPort(Port);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited && SendSignal(_process.Id, SigTerm) == 0)
            {
                using var graceful = new CancellationTokenSource(s_stopTimeout);
                try
                {
                    await _process.WaitForExitAsync(graceful.Token);
                }
                catch (OperationCanceledException)
                {
                    // Killed below.
                }
            }
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
        }
    }


    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int SendSignal(int pid, int signal);
}
