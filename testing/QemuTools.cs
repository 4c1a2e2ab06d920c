using System.Diagnostics;

namespace WebConsole.Testing;

/// <summary>
/// The guest (testing/qemu/build-guest.sh) and the QEMU binaries (the system's, and
/// testing/qemu/install-qemu10.sh's 10.0) the qemu tests and the benchmark use; each script runs
/// once per process and is a no-op when its output is up to date.
/// </summary>
internal static class QemuTools
{
    private static readonly TimeSpan s_scriptTimeout = TimeSpan.FromMinutes(5);
    private static readonly Lock s_lock = new();
    private static readonly Dictionary<string, string> s_results = [];

    /// <summary>The kernel and initramfs of the test guest, built when missing or stale.</summary>
    public static (string Kernel, string Initrd) Guest(string repoRoot)
    {
        string dir = Script(repoRoot, "build-guest.sh");
        return (Path.Combine(dir, "vmlinuz"), Path.Combine(dir, "initrd.gz"));
    }

    /// <summary>The qemu-system-x86_64 to run for <paramref name="version"/>.</summary>
    public static string Binary(string repoRoot, QemuVersion version) => version switch
    {
        QemuVersion.System => "/usr/bin/qemu-system-x86_64",
        QemuVersion.Backports10 => Script(repoRoot, "install-qemu10.sh"),
        _ => throw new ArgumentOutOfRangeException(nameof(version)),
    };

    /// <summary>
    /// "kvm" where /dev/kvm opens and the CPU has hardware virtualization (vmx/svm); otherwise
    /// "tcg": on this machine kind /dev/kvm exists without vmx, and a Linux kernel hangs under it.
    /// </summary>
    public static string Accelerator()
    {
        try
        {
            using FileStream kvm = File.Open("/dev/kvm", FileMode.Open, FileAccess.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "tcg";
        }
        foreach (string line in File.ReadLines("/proc/cpuinfo"))
        {
            if (line.StartsWith("flags", StringComparison.Ordinal))
            {
                string[] flags = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return flags.Contains("vmx") || flags.Contains("svm") ? "kvm" : "tcg";
            }
        }
        return "tcg";
    }

    private static string Script(string repoRoot, string name)
    {
        lock (s_lock)
        {
            if (s_results.TryGetValue(name, out string? known))
            {
                return known;
            }
            var info = new ProcessStartInfo(Path.Combine(repoRoot, "testing", "qemu", name))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using Process process = Process.Start(info)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(s_scriptTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"testing/qemu/{name} took longer than {s_scriptTimeout}");
            }
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"testing/qemu/{name} exited {process.ExitCode}:\n{stderr.Result}");
            }
            string result = stdout.Result.Trim().Split('\n')[^1];
            s_results[name] = result;
            return result;
        }
    }
}
