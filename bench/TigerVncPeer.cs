namespace WebConsole.Bench;

/// <summary>
/// The stack most people would pick instead: Debian's TigerVNC Xvnc (an X server that is its own
/// VNC server, default settings), websockify in front of it serving Debian's noVNC, and noVNC's
/// <c>vnc_lite.html</c>. Its query takes host, port, path, password, view_only and scale; scale is
/// left out, since any value (even "false") is a non-empty string and turns scaling on.
/// </summary>
internal sealed class TigerVncPeer : IPeer
{
    private const string NoVnc = "/usr/share/novnc";

    private readonly ChildProcess _xvnc;
    private readonly ChildProcess _websockify;
    private readonly int _webPort;

    private TigerVncPeer(int display, ChildProcess xvnc, ChildProcess websockify, int webPort)
    {
        Display = $":{display}";
        _xvnc = xvnc;
        _websockify = websockify;
        _webPort = webPort;
    }

    public string Name => "TigerVNC + noVNC";

    public string Display { get; }

    public Uri PageUrl => new($"http://127.0.0.1:{_webPort}/vnc_lite.html?host=127.0.0.1&port={_webPort}&path=websockify");

    /// <summary>vnc_lite shows "Connected to NAME" once the first framebuffer update came; the canvas then has the screen's size.</summary>
    public string Ready =>
        "([w, h]) => (document.getElementById('status')?.textContent ?? '').startsWith('Connected') && " +
        "[...document.querySelectorAll('#screen canvas')].some((c) => c.width === w && c.height === h)";

    public (string XServer, string Front) ProcessNames => ("Xvnc", "websockify");

    public string Log => $"Xvnc:\n{_xvnc.Log}\nwebsockify:\n{_websockify.Log}";

    public (TimeSpan XServer, TimeSpan Front) CpuTime() => (_xvnc.CpuTime(), _websockify.CpuTime());

    public static TigerVncPeer Start(int width, int height)
    {
        if (!ChildProcess.Exists("Xvnc"))
        {
            throw new PeerUnavailableException("Xvnc is missing: apt-get install -y tigervnc-standalone-server");
        }
        if (!ChildProcess.Exists("websockify"))
        {
            throw new PeerUnavailableException("websockify is missing: apt-get install -y websockify");
        }
        if (!File.Exists(Path.Combine(NoVnc, "vnc_lite.html")))
        {
            throw new PeerUnavailableException($"{NoVnc}/vnc_lite.html is missing: apt-get install -y novnc");
        }
        int display = ChildProcess.FreeDisplay();
        int rfbPort = ChildProcess.FreePort();
        ChildProcess xvnc = ChildProcess.StartXServer("Xvnc", display,
            ["-geometry", $"{width}x{height}", "-depth", "24", "-SecurityTypes", "None", "-rfbport", $"{rfbPort}", "-localhost", "-nolisten", "tcp", "-desktop", "peers"]);
        try
        {
            int webPort = ChildProcess.FreePort();
            ChildProcess websockify = ChildProcess.StartListening("websockify", webPort, ["--web", NoVnc, $"127.0.0.1:{webPort}", $"127.0.0.1:{rfbPort}"]);
            return new TigerVncPeer(display, xvnc, websockify, webPort);
        }
        catch
        {
            xvnc.Dispose();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        _websockify.Dispose();
        _xvnc.Dispose();
        return ValueTask.CompletedTask;
    }
}
