using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using WebConsole.Testing;
using WebConsole.Tests.Hubs;

namespace WebConsole.Tests.Consoles;

/// <summary>
/// The built server as a process of its own (so its threads, descriptors and memory can be read
/// from /proc), on loopback with no keys: the API is open to this local caller.
/// </summary>
internal sealed class ConsoleServer : IAsyncDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;

    private ConsoleServer(Process process, Uri address, ConcurrentQueue<string> log)
    {
        _process = process;
        Address = address;
        Log = log;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address { get; }

    public ConcurrentQueue<string> Log { get; }

    public HttpClient Http { get; }

    public int Pid => _process.Id;

    public static async Task<ConsoleServer> StartAsync(params string[] arguments)
    {
        string root = ServerFactory.RepoRoot;
        string dll = Path.Combine(root, "server", "bin", new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "WebConsole.Server.dll");
        var log = new ConcurrentQueue<string>();
        (Process process, Uri address) = await ServerProcess.StartAsync(ServerProcess.Info(root, dll, "http://127.0.0.1:0", arguments), log, s_timeout);
        return new ConsoleServer(process, address, log);
    }

    public async Task<JsonElement[]> ListAsync() => (await Http.GetFromJsonAsync<JsonElement[]>("/api/consoles"))!;

    public async Task<string[]> IdsAsync() => [.. (await ListAsync()).Select(c => c.GetProperty("id").GetString()!)];

    public async Task<HubConnection> ConnectAsync()
    {
        HubConnection connection = new HubConnectionBuilder()
            .WithUrl(new Uri(Address, "hubs/console"), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
            })
            .AddMessagePackProtocol()
            .Build();
        await connection.StartAsync().WaitAsync(s_timeout);
        return connection;
    }

    /// <summary>
    /// Threads, open descriptors and resident memory (KiB) of the server now. Threads leave out the
    /// thread pool's workers (".NET TP Worker"): the runtime adds them under load (20 clients on 2
    /// shared cores) and retires them on its own schedule, so they say nothing about what a console
    /// left behind; every thread the server itself starts (capture loops, encoder helpers, QEMU
    /// listeners) and the runtime's fixed ones count.
    /// </summary>
    public (int Threads, int Fds, long RssKib) Usage()
    {
        int threads = 0;
        foreach (string task in Directory.GetDirectories($"/proc/{Pid}/task"))
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET TP Worker", StringComparison.Ordinal))
                {
                    threads++;
                }
            }
            catch (IOException)
            {
                // The thread ended while being read.
            }
        }
        long rss = 0;
        foreach (string line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = long.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return (threads, Directory.GetFiles($"/proc/{Pid}/fd").Length, rss);
    }

    /// <summary>The server's thread names and how many of each, for failure messages.</summary>
    public string ThreadNames() =>
        string.Join(", ", Directory.GetDirectories($"/proc/{Pid}/task")
            .Select(t => { try { return File.ReadAllText(Path.Combine(t, "comm")).Trim(); } catch (IOException) { return "?"; } })
            .GroupBy(n => n).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}"));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
