using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
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

    /// <summary>Starts the server with <paramref name="consoles"/> and waits until it listens.</summary>
    public static async Task<WebConsoleServer> StartAsync(IEnumerable<ServerConsole> consoles, ITestOutputHelper? output, int port = 0,
        IEnumerable<string>? settings = null)
    {
        string dll = RepoPaths.ServerDll;
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the server ({RepoPaths.Configuration}) first");
        }
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(RepoPaths.Root, "server"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        string[] options =
        [
            "--urls", $"http://127.0.0.1:{port}",
            "--contentRoot", Path.Combine(RepoPaths.Root, "server"),
            "--webroot", Path.Combine(RepoPaths.Root, "wwwroot"),
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime", "Information",
        ];
        foreach (string option in options)
        {
            info.ArgumentList.Add(option);
        }
        foreach (ServerConsole console in consoles)
        {
            info.ArgumentList.Add($"--Consoles:{console.Id}:Source={console.Source}");
        }
        foreach (string setting in settings ?? [])
        {
            info.ArgumentList.Add(setting);
        }
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT"); // Production: Development would look for static web assets
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
            return new WebConsoleServer(process, address, log, output);
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

    [GeneratedRegex(@"Now listening on:\s*(http://\S+)")]
    private static partial Regex ListeningLine();

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int SendSignal(int pid, int signal);
}
