using System.Buffers.Binary;
using System.Diagnostics;

namespace WebConsole.E2E;

/// <summary>
/// A real Xvfb with <c>-fbdir</c> in a temporary directory (or <c>-shmem</c>) on a free display number, X clients
/// run against it, and its root window read back with <c>xwd -root</c> as the reference picture.
/// Every process it starts is killed on dispose.
/// </summary>
internal sealed class XvfbDisplay : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(15);
    private static int s_next = Environment.ProcessId % 500;

    private readonly List<Process> _processes = [];

    private readonly bool _shmem;
    private int _serverPid;

    public XvfbDisplay(int width, int height, bool shmem = false)
    {
        _shmem = shmem;
        Directory = Path.Combine(Path.GetTempPath(), $"webconsole-e2e-xvfb-{Environment.ProcessId}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
        Number = FreeDisplay();
        string[] store = shmem ? ["-shmem"] : ["-fbdir", Directory];
        Process server = Spawn("Xvfb", [$":{Number}", .. store, "-screen", "0", $"{width}x{height}x24", "-nolisten", "tcp", "-noreset"]);
        _serverPid = server.Id;
        var waited = Stopwatch.StartNew();
        while (!File.Exists($"/tmp/.X11-unix/X{Number}") || (shmem ? ServerSegments().Count == 0 : !File.Exists(ScreenFile)))
        {
            if (server.HasExited || waited.Elapsed > s_timeout)
            {
                Dispose();
                throw new InvalidOperationException($"Xvfb :{Number} did not start (is the xvfb package installed?)");
            }
            Thread.Sleep(20);
        }
    }

    public int Number { get; }

    public string Display => $":{Number}";

    public string Directory { get; }

    public string ScreenFile => Path.Combine(Directory, "Xvfb_screen0");

    /// <summary>Runs an X client to completion and returns its standard output.</summary>
    public byte[] Run(string program, params string[] args)
    {
        using Process p = Process.Start(Info(program, args, redirect: true))!;
        using var output = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(output);
        if (!p.WaitForExit(15_000) || p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed: {p.StandardError.ReadToEnd()}");
        }
        return output.ToArray();
    }

    /// <summary>Starts a long-running X client, killed on dispose.</summary>
    public Process Spawn(string program, params string[] args)
    {
        Process p = Process.Start(Info(program, args, redirect: false))!;
        _processes.Add(p);
        return p;
    }

    /// <summary>The root window as the X server shows it (<c>xwd -root</c>), as RGBA.</summary>
    public TestImage Root()
    {
        byte[] dump = Run("xwd", "-root", "-silent", "-display", Display);
        uint F(int i) => BinaryPrimitives.ReadUInt32BigEndian(dump.AsSpan(i * 4));
        int width = (int)F(4), height = (int)F(5), bytesPerLine = (int)F(12), offset = (int)F(0) + (int)F(19) * 12;
        if (F(11) != 32 || F(7) != 0 || F(14) != 0xFF0000 || F(16) != 0xFF)
        {
            throw new InvalidOperationException("xwd -root did not give 32-bit LSBFirst XRGB pixels");
        }
        var image = new TestImage(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                uint v = BinaryPrimitives.ReadUInt32LittleEndian(dump.AsSpan(offset + y * bytesPerLine + x * 4));
                image.Set(x, y, new Rgb((byte)(v >> 16), (byte)(v >> 8), (byte)v));
            }
        }
        return image;
    }

    private ProcessStartInfo Info(string program, string[] args, bool redirect)
    {
        var info = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = redirect, RedirectStandardError = redirect };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["DISPLAY"] = Display;
        return info;
    }

    /// <summary>The shared memory segments the Xvfb created (<c>-shmem</c>), from /proc/sysvipc/shm.</summary>
    private List<int> ServerSegments()
    {
        var ids = new List<int>();
        foreach (string line in File.ReadLines("/proc/sysvipc/shm").Skip(1))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length > 4 && f[4] == _serverPid.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                ids.Add(int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return ids;
    }

    private static int FreeDisplay()
    {
        for (int i = 0; i < 500; i++)
        {
            int n = 1000 + (Interlocked.Increment(ref s_next) % 1000);
            if (!File.Exists($"/tmp/.X11-unix/X{n}") && !File.Exists($"/tmp/.X{n}-lock"))
            {
                return n;
            }
        }
        throw new InvalidOperationException("no free X display number");
    }

    public void Dispose()
    {
        // Xvfb never removes its -shmem segments, not even on exit.
        List<int> segments = _shmem ? ServerSegments() : [];
        // Clients first, the server (the first process) last.
        for (int i = _processes.Count - 1; i >= 0; i--)
        {
            Process p = _processes[i];
            if (!p.HasExited)
            {
                p.Kill();
                p.WaitForExit(5000);
            }
            p.Dispose();
        }
        _processes.Clear();
        foreach (int id in segments)
        {
            using Process ipcrm = Process.Start("ipcrm", ["-m", id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            ipcrm.WaitForExit(5000);
        }
        File.Delete($"/tmp/.X11-unix/X{Number}");
        File.Delete($"/tmp/.X{Number}-lock");
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
