using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using WebConsole.Hubs;
using WebConsole.Region;
using WebConsole.Testing;
using WebConsole.Tests.Hubs;
using Xunit.Abstractions;

namespace WebConsole.Tests.Streaming;

/// <summary>
/// The real server process and its resident memory: what a producer claims must not decide what the
/// server allocates (before: 2.19 GB per idle 16384x16384 console, three took 6.4 GB, a console
/// flipping between its largest and a small size grew from 2.6 to 6.4 GB and never gave any back).
/// </summary>
[Collection(ServerMemoryTests.Collection)]
public sealed class ServerMemoryTests(ITestOutputHelper output) : IDisposable
{
    public const string Collection = "server memory (one at a time: they measure a process's RSS)";

    private const int Side = 16384;
    private const long MiB = 1024 * 1024;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("webconsole-memory-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A maximal region (16384x16384, 3 buffers: a 3 GiB sparse file) with one full frame published.</summary>
    private RegionWriter MaximalRegion(string name)
    {
        RegionWriter writer = RegionWriter.Create(Path.Combine(_dir, name), new RegionWriterOptions { Width = Side, Height = Side, BufferCount = 3 });
        writer.PublishFull(); // black, and the pixels never touched: the file stays sparse
        return writer;
    }

    [Fact]
    public async Task IdleMaximalConsoles_OverTheLimit_AreRefusedUpFront_AndCostNothing()
    {
        using RegionWriter a = MaximalRegion("a"), b = MaximalRegion("b"), c = MaximalRegion("c");
        await using Server server = await Server.StartAsync(_dir, ["a", "b", "c"], [], output);
        long baseline = server.Rss();
        for (int round = 0; round < 3; round++)
        {
            foreach (string id in new[] { "a", "b", "c" })
            {
                (string state, string? reason) = await server.StateAsync(id);
                Assert.Equal("invalid", state);
                Assert.Equal($"invalid region: {Side}x{Side} is over the configured limit of {8192L * 8192} pixels (Streaming:MaxPixels)", reason);
                await server.ThumbnailAsync(id);
            }
        }
        long after = server.Rss();
        output.WriteLine($"RSS: {baseline / MiB} MiB at start, {after / MiB} MiB after 9 descriptions and thumbnails of 3 maximal consoles");
        Assert.True(after < baseline + 100 * MiB, $"RSS grew from {baseline / MiB} to {after / MiB} MiB");
    }

    [Fact]
    public async Task IdleMaximalConsoles_WithinTheLimit_GiveTheirFramesBack_AfterEachLook()
    {
        using RegionWriter a = MaximalRegion("a"), b = MaximalRegion("b"), c = MaximalRegion("c");
        await using Server server = await Server.StartAsync(_dir, ["a", "b", "c"],
            ["--Streaming:MaxPixels=" + (long)Side * Side, "--Streaming:MaxTotalPixels=" + 3L * Side * Side], output);
        long baseline = server.Rss();
        foreach (string id in new[] { "a", "b", "c" })
        {
            // The list answers from the last reading within 300 ms; reading a 1 GiB frame takes longer.
            (string, string?) state = await server.StateAsync(id);
            for (int i = 0; i < 100 && state.Item1 == "waiting"; i++)
            {
                await Task.Delay(200);
                state = await server.StateAsync(id);
            }
            Assert.Equal(("ready", null), state);
            await server.ThumbnailAsync(id); // reads the whole 1 GiB frame, then lets it go
        }
        long after = await server.SettledRssAsync(); // a list's refresh of a console may still be reading it
        output.WriteLine($"RSS: {baseline / MiB} MiB at start, {after / MiB} MiB after looking at 3 idle 16384x16384 consoles");
        Assert.True(after < baseline + 150 * MiB, $"RSS grew from {baseline / MiB} to {after / MiB} MiB with nobody watching");
    }

    [Fact]
    public async Task WatchedConsole_FlippingSizes_GivesMemoryBack_WhenSmallAndWhenLeft()
    {
        using RegionWriter writer = RegionWriter.Create(Path.Combine(_dir, "flip"),
            new RegionWriterOptions { Width = 640, Height = 480, BufferCount = 1, MaxWidth = Side, MaxHeight = Side });
        writer.PublishFull();
        await using Server server = await Server.StartAsync(_dir, ["flip"], ["--Streaming:MaxPixels=" + (long)Side * Side], output);
        long baseline = server.Rss();
        await using Viewer viewer = await Viewer.JoinAsync(server, "flip");
        var peaks = new List<long>();
        var lows = new List<long>();
        for (int cycle = 0; cycle < 3; cycle++)
        {
            writer.SetMode(Side, Side, PixelFormat.Xrgb8888);
            writer.PublishFull();
            await viewer.ResizedToAsync(Side, Side);
            peaks.Add(server.Rss());
            writer.SetMode(640, 480, PixelFormat.Xrgb8888);
            writer.PublishFull();
            await viewer.ResizedToAsync(640, 480);
            lows.Add(await server.SettledRssAsync());
        }
        await viewer.DisposeAsync();
        long left = await server.SettledRssAsync();
        output.WriteLine($"RSS: {baseline / MiB} MiB at start; at {Side}x{Side}: {string.Join(", ", peaks.Select(p => p / MiB))} MiB; " +
            $"back at 640x480: {string.Join(", ", lows.Select(p => p / MiB))} MiB; viewer gone: {left / MiB} MiB");
        Assert.True(peaks[0] > baseline + 1024 * MiB, "the maximal mode was never really shown"); // frame + shadow: 2 GiB
        Assert.True(peaks[^1] < peaks[0] + 300 * MiB, "each flip to the maximal size kept more memory");
        Assert.All(lows, low => Assert.True(low < baseline + 300 * MiB, $"{low / MiB} MiB at 640x480 (start {baseline / MiB} MiB)"));
        Assert.True(left < baseline + 300 * MiB, $"{left / MiB} MiB after the viewer left (start {baseline / MiB} MiB)");
    }

    /// <summary>The server as a child process, as an operator runs it.</summary>
    private sealed class Server : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _log;
        private readonly ITestOutputHelper _output;
        private readonly HttpClient _http;

        private Server(Process process, Uri address, ConcurrentQueue<string> log, ITestOutputHelper output)
        {
            (_process, Address, _log, _output) = (process, address, log, output);
            _http = new HttpClient { BaseAddress = address, Timeout = s_timeout };
        }

        public Uri Address { get; }

        public static async Task<Server> StartAsync(string dir, string[] ids, string[] arguments, ITestOutputHelper output)
        {
            string root = ServerFactory.RepoRoot;
            string dll = Path.Combine(root, "server", "bin", new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "WebConsole.Server.dll");
            var all = ids.Select(id => $"--Consoles:{id}:Source=region:{Path.Combine(dir, id)}").Concat(arguments);
            var log = new ConcurrentQueue<string>();
            (Process process, Uri address) = await ServerProcess.StartAsync(ServerProcess.Info(root, dll, "http://127.0.0.1:0", all), log, s_timeout);
            return new Server(process, address, log, output);
        }

        public long Rss()
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }

        /// <summary>RSS once the capture loop has had time to act on what just happened.</summary>
        public async Task<long> SettledRssAsync()
        {
            long last = Rss();
            for (int i = 0; i < 20; i++)
            {
                await Task.Delay(250);
                long now = Rss();
                if (Math.Abs(now - last) < 8 * MiB)
                {
                    return now;
                }
                last = now;
            }
            return last;
        }

        public async Task<(string State, string? Reason)> StateAsync(string id)
        {
            using JsonDocument list = JsonDocument.Parse(await _http.GetStringAsync(new Uri("/api/consoles", UriKind.Relative)));
            foreach (JsonElement console in list.RootElement.EnumerateArray())
            {
                if (console.GetProperty("id").GetString() == id)
                {
                    JsonElement reason = console.GetProperty("reason");
                    return (console.GetProperty("state").GetString()!, reason.ValueKind == JsonValueKind.Null ? null : reason.GetString());
                }
            }
            throw new InvalidOperationException($"console {id} is not listed");
        }

        /// <summary>
        /// A thumbnail; a request gives up after 500 ms (a 1 GiB frame takes longer to read), so asks
        /// again until one comes, or until the answer is no frame at all (an invalid console).
        /// </summary>
        public async Task ThumbnailAsync(string id)
        {
            for (int i = 0; i < 50; i++)
            {
                using HttpResponseMessage response = await _http.GetAsync(new Uri($"/api/consoles/{id}/thumbnail.png", UriKind.Relative));
                _ = await response.Content.ReadAsByteArrayAsync();
                if (response.IsSuccessStatusCode || (await StateAsync(id)).State == "invalid")
                {
                    return;
                }
                await Task.Delay(200); // the read goes on meanwhile, on the server's own thread
            }
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(s_timeout);
            }
            foreach (string line in _log)
            {
                _output.WriteLine(line);
            }
            _process.Dispose();
        }
    }

    /// <summary>A hub viewer over a real socket that acknowledges every update and records resizes.</summary>
    private sealed class Viewer : IAsyncDisposable
    {
        private readonly HubConnection _connection;
        private volatile ResizeMessage? _size;

        private Viewer(HubConnection connection)
        {
            _connection = connection;
            connection.On<ResizeMessage>(ConsoleClientMethods.Resize, m => _size = m);
            connection.On<UpdateMessage>(ConsoleClientMethods.Update, m => _ = connection.InvokeAsync("Ack", m.FrameId));
        }

        public static async Task<Viewer> JoinAsync(Server server, string id)
        {
            HubConnection connection = new HubConnectionBuilder()
                .WithUrl(new Uri(server.Address, "hubs/console"), options =>
                {
                    options.Transports = HttpTransportType.WebSockets;
                    options.SkipNegotiation = true;
                })
                .AddMessagePackProtocol()
                .Build();
            var viewer = new Viewer(connection);
            await connection.StartAsync().WaitAsync(s_timeout);
            await connection.InvokeAsync<JoinResult>("Join", id).WaitAsync(s_timeout);
            return viewer;
        }

        public async Task ResizedToAsync(int width, int height)
        {
            var clock = Stopwatch.StartNew();
            while (_size is not { } size || size.Width != width || size.Height != height)
            {
                Assert.True(clock.Elapsed < s_timeout, $"no resize to {width}x{height}");
                await Task.Delay(50);
            }
        }

        public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
    }
}

[CollectionDefinition(ServerMemoryTests.Collection, DisableParallelization = true)]
public sealed class ServerMemoryTestGroup;
