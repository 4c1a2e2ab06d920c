using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace WebConsole.Bench;

/// <summary>
/// A program the peers benchmark runs beside the server (an X server, websockify): its output
/// kept for a failure message, its CPU read from /proc with its children (websockify serves each
/// connection from a forked child), ended with SIGTERM, then SIGKILL, on dispose.
/// </summary>
internal sealed partial class ChildProcess : IDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(20);
    private static int s_nextDisplay = 400 + Environment.ProcessId % 200;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private ChildProcess(string program, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        Program = program;
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Program { get; }

    public int ProcessId => _process.Id;

    public string Log => string.Join('\n', _log);

    /// <summary>Whether <paramref name="program"/> is on PATH (a missing Debian package is reported, not thrown from Process.Start).</summary>
    public static bool Exists(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':').Any(dir => File.Exists(Path.Combine(dir, program)));

    /// <summary>A display number with neither a socket nor a lock file.</summary>
    public static int FreeDisplay()
    {
        for (int i = 0; i < 500; i++)
        {
            int n = 400 + Interlocked.Increment(ref s_nextDisplay) % 500;
            if (!File.Exists($"/tmp/.X11-unix/X{n}") && !File.Exists($"/tmp/.X{n}-lock"))
            {
                return n;
            }
        }
        throw new InvalidOperationException("no free X display number");
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts an X server on display <paramref name="number"/> and waits for its socket (and <paramref name="alsoWaitFor"/>, a file it writes).</summary>
    public static ChildProcess StartXServer(string program, int number, IEnumerable<string> arguments, string? alsoWaitFor = null)
    {
        var child = new ChildProcess(program, [$":{number}", .. arguments]);
        child.WaitUntil(() => File.Exists($"/tmp/.X11-unix/X{number}") && (alsoWaitFor is null || File.Exists(alsoWaitFor)), $"{program} :{number}");
        return child;
    }

    /// <summary>Starts a server and waits until it accepts connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static ChildProcess StartListening(string program, int port, IEnumerable<string> arguments)
    {
        var child = new ChildProcess(program, arguments);
        child.WaitUntil(() => Accepts(port), $"{program} on port {port}");
        return child;
    }

    /// <summary>utime + stime of the process and of every live descendant.</summary>
    public TimeSpan CpuTime() => TreeCpuTime(_process.Id);

    /// <summary>utime + stime of <paramref name="pid"/> and of every live descendant (from the ppid field of /proc/*/stat).</summary>
    public static TimeSpan TreeCpuTime(int pid)
    {
        var parents = new Dictionary<int, int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out int child))
            {
                try
                {
                    string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    parents[child] = int.Parse(fields[4 - 3], System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    // Exited while we looked.
                }
            }
        }
        TimeSpan total = TimeSpan.Zero;
        var pending = new Stack<int>([pid]);
        while (pending.Count > 0)
        {
            int next = pending.Pop();
            try
            {
                total += ProcStat.CpuTime(next);
            }
            catch (IOException)
            {
                continue;
            }
            foreach ((int child, int parent) in parents)
            {
                if (parent == next)
                {
                    pending.Push(child);
                }
            }
        }
        return total;
    }

    private void WaitUntil(Func<bool> ready, string what)
    {
        var started = Stopwatch.StartNew();
        while (!ready())
        {
            if (_process.HasExited || started.Elapsed > s_startTimeout)
            {
                bool exited = _process.HasExited;
                Dispose();
                throw new InvalidOperationException($"{what} did not start (exited: {exited}):\n{Log}");
            }
            Thread.Sleep(20);
        }
    }

    private static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Keep(string? line)
    {
        if (line is not null && _log.Count < 2000)
        {
            _log.Enqueue(line);
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _ = SendSignal(_process.Id, SigTerm);
                if (!_process.WaitForExit(5000))
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(5000);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int SendSignal(int pid, int signal);
}
