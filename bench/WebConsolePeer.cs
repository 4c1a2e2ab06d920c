namespace WebConsole.Bench;

/// <summary>
/// WebConsole on an Xvfb: <c>xwd</c> reads Xvfb's <c>-fbdir</c> file (with the display named in
/// <c>Consoles:x:Display</c>); <c>x11</c> is the <c>x11::N</c> source, which needs no -fbdir. Any
/// other name is passed on as <c>NAME::N</c>, so a new X source needs only <c>--sources</c>.
/// </summary>
internal sealed class WebConsolePeer : IPeer
{
    private const string ConsoleId = "x";

    private readonly ChildProcess _xvfb;
    private readonly ServerUnderTest _server;
    private readonly string _directory;

    private WebConsolePeer(string source, int display, ChildProcess xvfb, ServerUnderTest server, string directory)
    {
        Name = $"WebConsole {source}";
        Display = $":{display}";
        _xvfb = xvfb;
        _server = server;
        _directory = directory;
    }

    public string Name { get; }

    public string Display { get; }

    public Uri PageUrl => _server.ConsoleUrl(ConsoleId);

    public string Ready =>
        "([w, h]) => window.webConsole?.state === 'connected' && window.webConsole.framesPresented > 0 && window.webConsole.width === w && window.webConsole.height === h";

    public (string XServer, string Front) ProcessNames => ("Xvfb", "WebConsole server");

    public string Log => _server.Log;

    public (TimeSpan XServer, TimeSpan Front) CpuTime() => (_xvfb.CpuTime(), _server.CpuTime());

    /// <summary>Starts Xvfb and the server; throws <see cref="PeerUnavailableException"/> when the server refuses the source.</summary>
    public static async Task<WebConsolePeer> StartAsync(string source, int width, int height)
    {
        if (!ChildProcess.Exists("Xvfb"))
        {
            throw new PeerUnavailableException("Xvfb is missing: apt-get install -y xvfb");
        }
        int display = ChildProcess.FreeDisplay();
        string directory = Path.Combine(Path.GetTempPath(), $"webconsole-peers-{Environment.ProcessId}-{display}");
        Directory.CreateDirectory(directory);
        string screen = Path.Combine(directory, "Xvfb_screen0");
        bool xwd = source == "xwd";
        string[] store = xwd ? ["-fbdir", directory] : [];
        ChildProcess? xvfb = null;
        try
        {
            xvfb = ChildProcess.StartXServer("Xvfb", display, [.. store, "-screen", "0", $"{width}x{height}x24", "-nolisten", "tcp", "-noreset"], xwd ? screen : null);
            string[] extra = xwd ? [$"--Consoles:{ConsoleId}:Display=:{display}"] : [];
            ServerUnderTest server;
            try
            {
                server = await ServerUnderTest.StartWithSourcesAsync([(ConsoleId, xwd ? $"xwd:{screen}" : $"{source}::{display}")], extra);
            }
            catch (InvalidOperationException e)
            {
                // Start-up validation names the key; that line is the reason.
                string? line = e.Message.Split('\n').FirstOrDefault(l => l.Contains($"Consoles:{ConsoleId}", StringComparison.Ordinal));
                string reason = line is null ? e.Message.Split('\n')[0] : line[line.IndexOf($"Consoles:{ConsoleId}", StringComparison.Ordinal)..].Trim();
                throw new PeerUnavailableException($"the server refused the console: {reason}");
            }
            return new WebConsolePeer(source, display, xvfb, server, directory);
        }
        catch
        {
            xvfb?.Dispose();
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _xvfb.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
