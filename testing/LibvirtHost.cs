using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace WebConsole.Testing;

/// <summary>
/// A real libvirt on this machine for the tests: starts <c>virtlogd -d</c> and <c>libvirtd -d</c> when
/// they are not running (no systemd here) and waits for <c>virsh -c qemu:///system version</c>;
/// copies the test guest (testing/qemu/build-guest.sh) to /var/lib/libvirt/boot, where the domains'
/// user (libvirt-qemu) can read it; defines TCG domains named <c>wctest-&lt;pid&gt;-&lt;n&gt;</c>, with a
/// p2p or a bus-mode D-Bus display. On dispose every domain it defined is destroyed and undefined,
/// and so are the leftovers of test processes that died. Needs root (./test.sh runs as root).
/// </summary>
internal sealed partial class LibvirtHost : IDisposable
{
    public const string Uri = "qemu:///system";
    private const string BootDir = "/var/lib/libvirt/boot";
    private static readonly TimeSpan s_virshTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_daemonTimeout = TimeSpan.FromSeconds(30);
    private static int s_next;
    private readonly List<string> _defined = [];
    private readonly string _kernel, _initrd;

    public LibvirtHost(string repoRoot)
    {
        if (!Available)
        {
            throw new InvalidOperationException("these tests need root, libvirtd, virsh and qemu-system-x86_64: ./test.sh installs " +
                "libvirt-daemon-system, libvirt-daemon-driver-qemu, libvirt-clients and qemu-system-x86");
        }
        EnsureDaemons();
        (string kernel, string initrd) = QemuTools.Guest(repoRoot);
        Directory.CreateDirectory(BootDir);
        _kernel = Copy(kernel, Path.Combine(BootDir, "wctest-vmlinuz"));
        _initrd = Copy(initrd, Path.Combine(BootDir, "wctest-initrd.gz"));
        RemoveLeftovers();
    }

    /// <summary>The <c>Libvirt:Domains</c> pattern that matches this process's domains only.</summary>
    public static string Pattern => $"wctest-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-*";

    /// <summary>Whether the machine has what these tests need: root, libvirtd, virsh and QEMU.</summary>
    public static bool Available =>
        Environment.UserName == "root" && File.Exists("/usr/sbin/libvirtd") && File.Exists("/usr/bin/virsh") && File.Exists("/usr/bin/qemu-system-x86_64");

    /// <summary>
    /// Defines a domain running the test guest: a p2p display (<c>&lt;graphics type='dbus' p2p='yes'/&gt;</c>)
    /// or bus mode (<c>&lt;graphics type='dbus'/&gt;</c>); started unless <paramref name="start"/> is false.
    /// </summary>
    public string Define(bool p2p, bool start = true)
    {
        string name = $"wctest-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Interlocked.Increment(ref s_next).ToString(CultureInfo.InvariantCulture)}";
        string graphics = p2p ? "<graphics type='dbus' p2p='yes'/>" : "<graphics type='dbus'/>";
        string xml = $"""
            <domain type='qemu'>
              <name>{name}</name>
              <memory unit='MiB'>256</memory>
              <vcpu>1</vcpu>
              <os><type arch='x86_64' machine='pc'>hvm</type>
                <kernel>{_kernel}</kernel><initrd>{_initrd}</initrd>
                <cmdline>console=tty1 quiet</cmdline></os>
              <devices>
                {graphics}
                <video><model type='vga'/></video>
                <input type='tablet' bus='usb'/>
              </devices>
            </domain>
            """;
        string file = Path.Combine(Path.GetTempPath(), name + ".xml");
        File.WriteAllText(file, xml);
        try
        {
            Virsh("define", file);
        }
        finally
        {
            File.Delete(file);
        }
        lock (_defined)
        {
            _defined.Add(name);
        }
        if (start)
        {
            Start(name);
        }
        return name;
    }

    public static void Start(string name) => Virsh("start", name);

    public static void Destroy(string name) => Virsh("destroy", name);

    public void Undefine(string name)
    {
        Virsh("undefine", name);
        lock (_defined)
        {
            _defined.Remove(name);
        }
    }

    /// <summary>The domain's UUID.</summary>
    public static string Uuid(string name) => Virsh("domuuid", name).Trim();

    /// <summary>The domain's live XML.</summary>
    public static string Xml(string name) => Virsh("dumpxml", name);

    /// <summary>Kills libvirtd (SIGKILL, by its pid file): its domains keep running, its clients see it go.</summary>
    public static void KillDaemon()
    {
        int pid = DaemonPid("libvirtd") ?? throw new InvalidOperationException("libvirtd is not running");
        using Process daemon = Process.GetProcessById(pid);
        daemon.Kill();
        daemon.WaitForExit(10_000);
    }

    /// <summary>Starts libvirtd again and waits until it answers.</summary>
    public static void StartDaemon()
    {
        if (DaemonPid("libvirtd") is null)
        {
            Daemonize("/usr/sbin/libvirtd");
        }
        WaitForDaemon();
    }

    public void Dispose()
    {
        List<string> names;
        lock (_defined)
        {
            names = [.. _defined];
            _defined.Clear();
        }
        foreach (string name in names)
        {
            Remove(name);
        }
    }

    private static void EnsureDaemons()
    {
        if (DaemonPid("virtlogd") is null)
        {
            Daemonize("/usr/sbin/virtlogd");
        }
        if (DaemonPid("libvirtd") is null)
        {
            Daemonize("/usr/sbin/libvirtd");
        }
        WaitForDaemon();
    }

    private static void WaitForDaemon()
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            (int code, _, string errors) = Run("/usr/bin/virsh", ["-c", Uri, "version"], TimeSpan.FromSeconds(10), check: false);
            if (code == 0)
            {
                return;
            }
            if (waited.Elapsed > s_daemonTimeout)
            {
                throw new InvalidOperationException($"libvirtd did not answer within {s_daemonTimeout}: {errors}");
            }
            Thread.Sleep(100);
        }
    }

    /// <summary>The pid of a running daemon from its pid file under /run, when that process is alive.</summary>
    private static int? DaemonPid(string daemon)
    {
        string file = $"/run/{daemon}.pid";
        if (File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            && File.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline")
            && File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline").Contains(daemon, StringComparison.Ordinal))
        {
            return pid;
        }
        return null;
    }

    /// <summary>Destroys and undefines the wctest domains of test processes that are gone.</summary>
    private static void RemoveLeftovers()
    {
        foreach (string name in Virsh("list", "--all", "--name").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Match m = TestDomain().Match(name);
            if (m.Success && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && (pid == Environment.ProcessId || !Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}")))
            {
                Remove(name);
            }
        }
    }

    private static void Remove(string name)
    {
        _ = Run("/usr/bin/virsh", ["-c", Uri, "destroy", name], s_virshTimeout, check: false);
        _ = Run("/usr/bin/virsh", ["-c", Uri, "undefine", name], s_virshTimeout, check: false);
    }

    /// <summary>Runs <c>daemon -d</c>, its output not captured (the daemon would hold the pipes open).</summary>
    private static void Daemonize(string daemon)
    {
        var info = new ProcessStartInfo(daemon) { UseShellExecute = false };
        info.ArgumentList.Add("-d");
        using Process process = Process.Start(info)!;
        if (!process.WaitForExit(s_daemonTimeout) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{daemon} -d did not start (exit {(process.HasExited ? process.ExitCode : -1)})");
        }
    }

    private static string Copy(string from, string to)
    {
        var source = new FileInfo(from);
        var target = new FileInfo(to);
        if (!target.Exists || target.Length != source.Length || target.LastWriteTimeUtc < source.LastWriteTimeUtc)
        {
            File.Copy(from, to + ".new", overwrite: true);
            File.Move(to + ".new", to, overwrite: true);
        }
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(to, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        return to;
    }

    private static string Virsh(params string[] arguments)
    {
        (_, string output, _) = Run("/usr/bin/virsh", ["-c", Uri, .. arguments], s_virshTimeout);
        return output;
    }

    private static (int Code, string Output, string Errors) Run(string file, string[] arguments, TimeSpan timeout, bool check = true)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(info)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} took longer than {timeout}");
        }
        process.WaitForExit();
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {errors.Result}");
        }
        return (process.ExitCode, output.Result, errors.Result);
    }

    [GeneratedRegex(@"^wctest-([0-9]+)-[0-9]+$")]
    private static partial Regex TestDomain();
}
