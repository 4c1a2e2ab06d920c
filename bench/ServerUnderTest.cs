using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

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

    /// <summary>Starts the server with one region console per (id, path) and waits until it listens.</summary>
    public static async Task<ServerUnderTest> StartAsync(IEnumerable<(string Id, string RegionPath)> consoles)
    {
        string dll = RepoLayout.ServerDll;
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: dotnet build WebConsole.sln -c Release");
        }
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(RepoLayout.Root, "server"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        string[] options =
        [
            "--urls", "http://127.0.0.1:0",
            "--contentRoot", Path.Combine(RepoLayout.Root, "server"),
            "--webroot", Path.Combine(RepoLayout.Root, "wwwroot"),
            "--Logging:LogLevel:Default", "Warning",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime", "Information",
        ];
        foreach (string option in options)
        {
            info.ArgumentList.Add(option);
        }
        foreach ((string id, string path) in consoles)
        {
            info.ArgumentList.Add($"--Consoles:{id}:Source=region:{path}");
        }
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        info.Environment["DOTNET_NOLOGO"] = "1";

        var log = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("the server exited before listening"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            Uri address = await listening.Task.WaitAsync(s_startTimeout);
            return new ServerUnderTest(process, address, log);
        }
        catch (Exception e)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            process.Dispose();
            throw new InvalidOperationException($"server did not start: {e.Message}\n{string.Join('\n', log)}", e);
        }

        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }
            log.Enqueue(line);
            Match match = ListeningLine().Match(line);
            if (match.Success)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
            }
        }
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

    [GeneratedRegex(@"Now listening on:\s*(http://\S+)")]
    private static partial Regex ListeningLine();

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int SendSignal(int pid, int signal);
}
