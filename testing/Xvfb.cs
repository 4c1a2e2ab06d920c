using System.Diagnostics;

namespace WebConsole.Testing;

/// <summary>
/// A real Xvfb (Debian package xvfb) on a free display number with <c>-fbdir</c> in a temporary
/// directory (or <c>-shmem</c>: its screen in a shared memory segment), and X clients run against it. Every process it starts is killed on dispose.
/// <see cref="Xvnc"/> starts TigerVNC's Xvnc (tigervnc-standalone-server) the same way instead: a
/// second kind of X server, with no screen file, whose cursor is not in its framebuffer.
/// </summary>
internal sealed class Xvfb : IDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(15);
    private static int s_next = 100 + Environment.ProcessId % 300;

    private readonly List<Process> _clients = [];
    private readonly string _screen;
    private readonly bool _shmem;
    private readonly string? _screen1;
    private readonly string[] _extra;
    private readonly bool _xvnc;
    private readonly List<int> _segments = [];
    private Process? _server;
    private volatile int _shmid = -1;

    /// <summary>
    /// Starts Xvfb with screen 0 (and screen 1 when <paramref name="screen1"/> is given), and
    /// <paramref name="extra"/> arguments (<c>-extension DAMAGE</c> turns DAMAGE off, say).
    /// </summary>
    public Xvfb(string screen = "640x480x24", bool shmem = false, string? screen1 = null, string[]? extra = null)
        : this(screen, shmem, screen1, extra, xvnc: false)
    {
    }

    private Xvfb(string screen, bool shmem, string? screen1, string[]? extra, bool xvnc)
    {
        _xvnc = xvnc;
        _screen = screen;
        _shmem = shmem;
        _screen1 = screen1;
        _extra = extra ?? [];
        Directory = Path.Combine(Path.GetTempPath(), $"webconsole-xvfb-{Environment.ProcessId}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
        Number = FreeDisplay();
        Start();
    }

    /// <summary>TigerVNC's Xvnc with one screen of <paramref name="geometry"/> (WxH) at depth 24, no VNC port, no password.</summary>
    public static Xvfb Xvnc(string geometry = "640x480") => new(geometry, false, null, null, xvnc: true);

    public int Number { get; }

    public string Display => $":{Number}";

    public string Directory { get; }

    /// <summary>The XWD file Xvfb keeps its screen in.</summary>
    public string ScreenFile => Path.Combine(Directory, "Xvfb_screen0");

    /// <summary>With <c>-shmem</c>: the segment of screen 0, as Xvfb printed it ("screen 0 shmid M").</summary>
    public int ShmId => _shmid;

    /// <summary>Starts Xvfb (again, after <see cref="Kill"/>) and waits for its socket and screen file.</summary>
    public void Start()
    {
        var info = new ProcessStartInfo(_xvnc ? "Xvnc" : "Xvfb") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        string[] store = _shmem ? ["-shmem"] : ["-fbdir", Directory];
        string[] second = _screen1 is null ? [] : ["-screen", "1", _screen1];
        string[] args = _xvnc
            ? [Display, "-geometry", _screen, "-depth", "24", "-SecurityTypes", "None", "-rfbport", "-1", "-nolisten", "tcp", "-noreset", .. _extra]
            : [Display, .. store, "-screen", "0", _screen, .. second, "-nolisten", "tcp", "-noreset", .. _extra];
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        _shmid = -1;
        _server = Process.Start(info)!;
        _server.ErrorDataReceived += (_, e) =>
        {
            // "screen N shmid M", one line per screen
            string[]? words = e.Data?.Split(' ');
            if (words is ["screen", string screenNumber, "shmid", string shmid] && int.TryParse(shmid, out int id))
            {
                lock (_segments)
                {
                    _segments.Add(id);
                }
                if (screenNumber == "0")
                {
                    _shmid = id;
                }
            }
        };
        _server.BeginErrorReadLine();
        _server.BeginOutputReadLine();
        var started = Stopwatch.StartNew();
        while (!File.Exists($"/tmp/.X11-unix/X{Number}") || (_xvnc ? false : _shmem ? _shmid < 0 : !File.Exists(ScreenFile)))
        {
            if (_server.HasExited || started.Elapsed > s_startTimeout)
            {
                throw new InvalidOperationException($"{info.FileName} {Display} did not start (exited: {_server.HasExited})");
            }
            Thread.Sleep(20);
        }
    }

    /// <summary>Ends Xvfb as a service manager would (SIGTERM) and waits until it has removed its files.</summary>
    public void Kill()
    {
        if (_shmem && _server is { HasExited: false })
        {
            // Every screen's segment, also those whose "shmid" line has not been read yet.
            foreach (string line in File.ReadLines("/proc/sysvipc/shm").Skip(1))
            {
                string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length > 4 && int.TryParse(f[4], out int cpid) && cpid == _server.Id && int.TryParse(f[1], out int id))
                {
                    lock (_segments)
                    {
                        _segments.Add(id);
                    }
                }
            }
        }
        if (_server is { HasExited: false })
        {
            _ = Tmds.Linux.LibC.kill(_server.Id, Tmds.Linux.LibC.SIGTERM);
            if (!_server.WaitForExit(10_000))
            {
                _server.Kill();
                _server.WaitForExit(10_000);
            }
        }
        _server?.Dispose();
        _server = null;
        var waited = Stopwatch.StartNew();
        while ((File.Exists($"/tmp/.X11-unix/X{Number}") || File.Exists(ScreenFile)) && waited.Elapsed < s_startTimeout)
        {
            Thread.Sleep(20);
        }
        // A killed server may leave its socket and lock behind; the number is ours to reuse.
        File.Delete($"/tmp/.X11-unix/X{Number}");
        File.Delete($"/tmp/.X{Number}-lock");
    }

    /// <summary>Runs an X client to completion (xsetroot, xwd).</summary>
    public byte[] Run(string program, params string[] args)
    {
        using Process p = Process.Start(Info(program, args))!;
        using var output = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(output);
        if (!p.WaitForExit(15_000))
        {
            p.Kill();
            throw new TimeoutException($"{program} did not finish");
        }
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {p.ExitCode}: {p.StandardError.ReadToEnd()}");
        }
        return output.ToArray();
    }

    /// <summary>Starts a long-running X client (xterm, xlogo), killed on dispose.</summary>
    public Process Spawn(string program, params string[] args)
    {
        ProcessStartInfo info = Info(program, args);
        info.RedirectStandardOutput = false;
        info.RedirectStandardError = false;
        Process p = Process.Start(info)!;
        _clients.Add(p);
        return p;
    }

    /// <summary>The root window as <c>xwd -root</c> sees it: 0xRRGGBB for each pixel, by the X server's own visual.</summary>
    public uint[] RootPixels(out int width, out int height) => XwdReference.Pixels(Run("xwd", "-root", "-silent", "-display", Display), out width, out height);

    private ProcessStartInfo Info(string program, string[] args)
    {
        var info = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["DISPLAY"] = Display;
        return info;
    }

    private static int FreeDisplay()
    {
        for (int i = 0; i < 500; i++)
        {
            int n = 100 + (Interlocked.Increment(ref s_next) % 800);
            if (!File.Exists($"/tmp/.X11-unix/X{n}") && !File.Exists($"/tmp/.X{n}-lock"))
            {
                return n;
            }
        }
        throw new InvalidOperationException("no free X display number");
    }

    public void Dispose()
    {
        foreach (Process p in _clients)
        {
            try
            {
                if (!p.HasExited)
                {
                    p.Kill();
                    p.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
                // Already disposed by the test.
            }
            p.Dispose();
        }
        Kill();
        // Xvfb never removes its -shmem segments, not even on exit.
        foreach (int id in _segments.ToArray())
        {
            SysVSegment.Remove(id);
        }
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
