using System.Diagnostics;

namespace WebConsole.Tests.Sources.Qemu;

/// <summary>
/// A real QEMU (Debian's qemu-system-x86, no kernel, no disk: SeaBIOS draws the screen) with the
/// D-Bus display peer to peer and a QMP socket in a temporary directory. SeaBIOS waits at its boot
/// menu prompt, so a key sent through the display is visible. Killed on dispose.
/// </summary>
internal sealed class SeaBiosQemu : IDisposable
{
    public const string Binary = "qemu-system-x86_64";

    private readonly string _directory;
    private readonly string _binary;
    private readonly bool _onBus;
    private Process? _bus;
    private Process? _process;

    public SeaBiosQemu(string vga = "std", string binary = Binary, bool onBus = false)
    {
        _binary = binary;
        _onBus = onBus;
        _directory = Path.Combine(Path.GetTempPath(), $"webconsole-qemu-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
        Vga = vga;
        Start();
    }

    public string Vga { get; }

    public string QmpSocket => Path.Combine(_directory, "qmp.sock");

    /// <summary>With a bus: the private dbus-daemon's socket, QEMU on it as org.qemu.</summary>
    public string BusSocket => Path.Combine(_directory, "bus.sock");

    public string Output { get; private set; } = "";

    public void Start()
    {
        if (_onBus && _bus is null)
        {
            StartBus();
        }
        string display = _onBus ? $"dbus,addr=unix:path={BusSocket},gl=off" : "dbus,p2p=yes,gl=off";
        var info = new ProcessStartInfo(_binary) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in new[]
        {
            "-nodefaults", "-machine", "pc,accel=tcg", "-m", "32", "-vga", Vga, "-net", "none",
            "-boot", "menu=on,splash-time=60000", "-display", display,
            "-qmp", $"unix:{QmpSocket},server=on,wait=off",
        })
        {
            info.ArgumentList.Add(arg);
        }
        _process = Process.Start(info)!;
        _process.ErrorDataReceived += (_, e) => Output += e.Data + "\n";
        _process.OutputDataReceived += (_, e) => Output += e.Data + "\n";
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        var waited = Stopwatch.StartNew();
        while (!File.Exists(QmpSocket))
        {
            if (_process.HasExited || waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException($"QEMU did not start: {Output}");
            }
            Thread.Sleep(20);
        }
    }

    private void StartBus()
    {
        var info = new ProcessStartInfo("dbus-daemon") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "--session", $"--address=unix:path={BusSocket}", "--nofork", "--nopidfile", "--print-address" })
        {
            info.ArgumentList.Add(arg);
        }
        _bus = Process.Start(info)!;
        var waited = Stopwatch.StartNew();
        while (!File.Exists(BusSocket))
        {
            if (_bus.HasExited || waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException($"dbus-daemon did not start: {_bus.StandardError.ReadToEnd()}");
            }
            Thread.Sleep(20);
        }
    }

    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        _process = null;
        File.Delete(QmpSocket);
    }

    public void Dispose()
    {
        Kill();
        if (_bus is { HasExited: false })
        {
            _bus.Kill();
            _bus.WaitForExit(5000);
        }
        _bus?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
