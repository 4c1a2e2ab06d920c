using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace WebConsole.Testing;

/// <summary>
/// A real QEMU running the test guest (testing/qemu/build-guest.sh) with its screen on the D-Bus
/// display, peer to peer: <c>-display dbus,p2p=yes,gl=off -qmp unix:QMP,server=on,wait=off</c>, so
/// a <c>qemu:qmp=QMP</c> console hands it a D-Bus connection over QMP. The guest's serial port is
/// QEMU's stdin/stdout: a second shell the harness uses to wait for the boot and to start things in
/// the guest (e.g. a command that writes to /dev/tty1) without going through the console under test.
/// Killed on dispose; <see cref="Kill"/> and <see cref="Start"/> restart it on the same QMP socket.
/// </summary>
internal sealed class QemuVm : IDisposable
{
    /// <summary>The shell prompt the guest's /etc/profile sets, on tty1 and on the serial port.</summary>
    public const string Prompt = "guest# ";

    private static readonly TimeSpan s_qmpTimeout = TimeSpan.FromSeconds(15);
    private static int s_marker;

    private readonly string _binary;
    private readonly string _kernel;
    private readonly string _initrd;
    private readonly string _vga;
    private readonly string _accelerator;
    private readonly bool _clipboard;
    private readonly bool _onBus;
    private Process? _bus;
    private readonly StringBuilder _serial = new();
    private readonly StringBuilder _stderr = new();
    private Process? _process;
    private int _serialStart;

    /// <summary>
    /// Builds what is missing (guest, QEMU 10) and starts QEMU unless <paramref name="start"/> is
    /// false (then <see cref="Start"/> does); <paramref name="vga"/> is <c>std</c> or <c>virtio</c>.
    /// With <paramref name="clipboard"/>, QEMU gets the clipboard agent's channel
    /// (<c>-chardev qemu-vdagent,clipboard=on</c> on a virtserialport <c>com.redhat.spice.0</c>) and
    /// the guest runs wc-vdagent on it, driven through <see cref="AgentPortPath"/>. With
    /// <paramref name="onBus"/>, the display is on a private dbus-daemon (<see cref="BusPath"/>,
    /// as libvirt does it) instead of peer to peer; QMP is there either way.
    /// </summary>
    public QemuVm(string repoRoot, QemuVersion version, string vga = "std", bool start = true, bool clipboard = false, bool onBus = false)
    {
        _clipboard = clipboard;
        _onBus = onBus;
        Version = version;
        _binary = QemuTools.Binary(repoRoot, version);
        (_kernel, _initrd) = QemuTools.Guest(repoRoot);
        _vga = vga;
        _accelerator = QemuTools.Accelerator();
        Directory = System.IO.Directory.CreateTempSubdirectory("webconsole-qemu-").FullName;
        QmpPath = Path.Combine(Directory, "qmp.sock");
        ControlPath = Path.Combine(Directory, "control.sock");
        AgentPortPath = Path.Combine(Directory, "agent.sock");
        BusPath = Path.Combine(Directory, "bus.sock");
        if (start)
        {
            Start();
        }
    }

    public QemuVersion Version { get; }

    public string Directory { get; }

    /// <summary>The QMP socket: the console source is <c>qemu:qmp=</c> this.</summary>
    public string QmpPath { get; }

    /// <summary>A second QMP socket, the harness's own (QEMU takes several): screendumps while the console uses the first.</summary>
    public string ControlPath { get; }

    /// <summary>
    /// With the clipboard: the host end of the guest's wc.test port (a socket QEMU listens on), which
    /// tells the test agent what to copy and reports what it received (testing/qemu/vdagent/wc-vdagent.c).
    /// </summary>
    public string AgentPortPath { get; }

    /// <summary>With <c>onBus</c>: the private bus QEMU's display is on (as org.qemu).</summary>
    public string BusPath { get; }

    /// <summary>The console source for this VM.</summary>
    public string Source => _onBus ? $"qemu:dbus=unix:path={BusPath}" : $"qemu:qmp={QmpPath}";

    /// <summary>QEMU's process id, for CPU readings.</summary>
    public int ProcessId => _process?.Id ?? 0;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>What QEMU wrote on stderr, for failure messages.</summary>
    public string Errors
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Everything the guest's serial port printed since the last (re)start.</summary>
    public string Serial
    {
        get
        {
            lock (_serial)
            {
                return _serial.ToString(_serialStart, _serial.Length - _serialStart);
            }
        }
    }

    /// <summary>Starts QEMU (again, after <see cref="Kill"/>) and waits until its QMP socket answers.</summary>
    public void Start()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("QEMU is already running");
        }
        _process?.Dispose();
        if (_onBus && _bus is not { HasExited: false })
        {
            StartBus();
        }
        File.Delete(QmpPath);
        File.Delete(ControlPath);
        File.Delete(AgentPortPath);
        var info = new ProcessStartInfo(_binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            "-accel", _accelerator, "-m", "256", "-nic", "none", "-no-user-config",
            "-vga", _vga,
            "-display", _onBus ? $"dbus,addr=unix:path={BusPath},gl=off" : "dbus,p2p=yes,gl=off",
            "-qmp", $"unix:{QmpPath},server=on,wait=off",
            "-qmp", $"unix:{ControlPath},server=on,wait=off",
            "-monitor", "none",
            "-serial", "stdio",
            "-kernel", _kernel, "-initrd", _initrd,
            // Both consoles: kernel messages and /dev/console on the serial port (the last one).
            "-append", "console=tty1 console=ttyS0 quiet" + (_clipboard ? " wc.agent=1" : ""),
        ];
        if (_clipboard)
        {
            args =
            [
                .. args,
                "-chardev", "qemu-vdagent,id=vdagent,name=vdagent,clipboard=on",
                "-device", "virtio-serial-pci",
                "-device", "virtserialport,chardev=vdagent,name=com.redhat.spice.0",
                "-chardev", $"socket,id=wctest,path={AgentPortPath},server=on,wait=off",
                "-device", "virtserialport,chardev=wctest,name=wc.test",
            ];
        }
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        lock (_serial)
        {
            _serialStart = _serial.Length;
        }
        Process process = Process.Start(info)!;
        _process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        _ = Task.Run(() => ReadSerial(process));
        var started = Stopwatch.StartNew();
        while (!QmpAnswers())
        {
            if (process.HasExited || started.Elapsed > s_qmpTimeout)
            {
                throw new InvalidOperationException($"QEMU did not open its QMP socket (exited: {process.HasExited}): {Errors}");
            }
            Thread.Sleep(50);
        }
    }

    /// <summary>Kills QEMU at once (SIGKILL: as if it crashed) and waits for it to end.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            p.WaitForExit(10_000);
        }
    }

    /// <summary>Waits until the serial shell shows its prompt: the guest has booted.</summary>
    public Task WaitForShellAsync(TimeSpan timeout) => WaitForSerialAsync(Prompt, 0, timeout);

    /// <summary>
    /// Runs <paramref name="command"/> in the guest's serial shell and waits until it has finished
    /// (a marker it echoes afterwards); returns what it printed. Typed a few bytes at a time: the
    /// emulated UART has a 16-byte FIFO and busybox reads it slowly under TCG.
    /// </summary>
    public async Task<string> RunAsync(string command, TimeSpan timeout)
    {
        int n = Interlocked.Increment(ref s_marker);
        // Markers as typed ("be""gin") differ from the markers printed, so the shell's echo of the
        // line (wrapped at 80 columns, anywhere) never matches; the output is what lies between.
        string typed = $"echo __be\"\"gin{n}__; {command}; echo __do\"\"ne{n}__\n";
        int from = Serial.Length;
        await WriteSerialAsync(typed, timeout);
        string begin = $"__begin{n}__";
        int start = await WaitForSerialAsync(begin, from, timeout) + begin.Length;
        int end = await WaitForSerialAsync($"__done{n}__", start, timeout);
        return Serial[start..end].Trim();
    }

    /// <summary>Starts <paramref name="command"/> in the background of the serial shell (e.g. a loop that writes to /dev/tty1).</summary>
    public Task StartInBackgroundAsync(string command, TimeSpan timeout) => RunAsync($"({command}) >/dev/null 2>&1 &", timeout);

    /// <summary>Types <paramref name="text"/> on the serial port, a few bytes at a time.</summary>
    public async Task WriteSerialAsync(string text, TimeSpan timeout)
    {
        Process process = _process ?? throw new InvalidOperationException("QEMU is not running");
        using var cts = new CancellationTokenSource(timeout);
        byte[] bytes = System.Text.Encoding.ASCII.GetBytes(text);
        Stream stdin = process.StandardInput.BaseStream;
        for (int i = 0; i < bytes.Length; i += 8)
        {
            await stdin.WriteAsync(bytes.AsMemory(i, Math.Min(8, bytes.Length - i)), cts.Token);
            await stdin.FlushAsync(cts.Token);
            await Task.Delay(4, cts.Token);
        }
    }

    /// <summary>Waits until <paramref name="text"/> appears in the serial output at or after <paramref name="from"/>; returns where.</summary>
    public async Task<int> WaitForSerialAsync(string text, int from, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            int at = Serial.IndexOf(text, Math.Min(from, Serial.Length), StringComparison.Ordinal);
            if (at >= 0)
            {
                return at;
            }
            if (!IsRunning)
            {
                throw new InvalidOperationException($"QEMU exited while waiting for \"{text}\": {Errors}\nserial:\n{Serial}");
            }
            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"the guest's serial port never printed \"{text}\" within {timeout}; it printed:\n{Serial}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// What QEMU itself shows on its console now (QMP <c>screendump</c> through <see cref="ControlPath"/>):
    /// 0xRRGGBB per pixel, the reference a test compares the page with.
    /// </summary>
    public uint[] Screendump(out int width, out int height)
    {
        string file = Path.Combine(Directory, $"screen-{Interlocked.Increment(ref s_marker)}.ppm");
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            socket.Connect(new UnixDomainSocketEndPoint(ControlPath));
            socket.ReceiveTimeout = 10_000;
            using var stream = new NetworkStream(socket);
            using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
            _ = reader.ReadLine(); // the greeting
            writer.WriteLine("{\"execute\":\"qmp_capabilities\"}");
            QmpReturn(reader);
            writer.WriteLine($"{{\"execute\":\"screendump\",\"arguments\":{{\"filename\":\"{file}\"}}}}");
            QmpReturn(reader);
        }
        try
        {
            return Ppm(File.ReadAllBytes(file), out width, out height);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static void QmpReturn(StreamReader reader)
    {
        while (true)
        {
            string line = reader.ReadLine() ?? throw new IOException("QMP closed the connection");
            if (line.Contains("\"return\"", StringComparison.Ordinal))
            {
                return;
            }
            if (line.Contains("\"error\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"QMP: {line}");
            }
            // An event ({"event": ...}) comes between; read on.
        }
    }

    /// <summary>A binary PPM (P6, maxval 255) as QEMU writes it.</summary>
    private static uint[] Ppm(byte[] ppm, out int width, out int height)
    {
        int at = 0;
        string[] header = new string[4];
        for (int field = 0; field < 4; field++)
        {
            while (char.IsWhiteSpace((char)ppm[at]))
            {
                at++;
            }
            int start = at;
            while (!char.IsWhiteSpace((char)ppm[at]))
            {
                at++;
            }
            header[field] = System.Text.Encoding.ASCII.GetString(ppm, start, at - start);
        }
        at++; // the single whitespace after maxval
        if (header[0] != "P6" || header[3] != "255")
        {
            throw new InvalidOperationException($"screendump is not a P6/255 PPM: {string.Join(' ', header)}");
        }
        width = int.Parse(header[1], System.Globalization.CultureInfo.InvariantCulture);
        height = int.Parse(header[2], System.Globalization.CultureInfo.InvariantCulture);
        var pixels = new uint[width * height];
        for (int i = 0; i < pixels.Length; i++, at += 3)
        {
            pixels[i] = (uint)(ppm[at] << 16 | ppm[at + 1] << 8 | ppm[at + 2]);
        }
        return pixels;
    }

    private void ReadSerial(Process process)
    {
        Stream stdout = process.StandardOutput.BaseStream;
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = stdout.Read(buffer, 0, buffer.Length)) > 0)
            {
                string chunk = System.Text.Encoding.Latin1.GetString(buffer, 0, n);
                lock (_serial)
                {
                    _serial.Append(chunk);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // QEMU ended.
        }
    }

    private bool QmpAnswers()
    {
        if (!File.Exists(QmpPath))
        {
            return false;
        }
        // QMP's greeting proves it listens; the connection closes before the console's source connects.
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(QmpPath));
            socket.ReceiveTimeout = 5000;
            var greeting = new byte[256];
            int n = socket.Receive(greeting);
            return n > 0 && System.Text.Encoding.ASCII.GetString(greeting, 0, n).Contains("\"QMP\"", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void StartBus()
    {
        File.Delete(BusPath);
        var info = new ProcessStartInfo("dbus-daemon") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "--session", $"--address=unix:path={BusPath}", "--nofork", "--nopidfile", "--print-address" })
        {
            info.ArgumentList.Add(arg);
        }
        _bus = Process.Start(info)!;
        var waited = Stopwatch.StartNew();
        while (!File.Exists(BusPath))
        {
            if (_bus.HasExited || waited.Elapsed > s_qmpTimeout)
            {
                throw new InvalidOperationException($"dbus-daemon did not start: {_bus.StandardError.ReadToEnd()}");
            }
            Thread.Sleep(20);
        }
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
        _process?.Dispose();
        _process = null;
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A socket QEMU still held; the temporary folder is cleaned by the system.
        }
    }
}
