using System.Globalization;
using System.Runtime.InteropServices;

namespace WebConsole.Bench;

/// <summary>CPU time from /proc (proc(5)): per process from /proc/PID/stat, machine-wide from /proc/stat.</summary>
internal static partial class ProcStat
{
    private const int ScClkTck = 2; // _SC_CLK_TCK in glibc's <bits/confname.h>

    private static readonly long s_ticksPerSecond = ReadTicksPerSecond();

    /// <summary>Clock ticks per second of the time fields in /proc (USER_HZ).</summary>
    public static long TicksPerSecond => s_ticksPerSecond;

    /// <summary>utime + stime (fields 14 and 15) of <paramref name="pid"/>: every thread, user and kernel.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        // Field 2 (comm) is in parentheses and may hold spaces: count fields after the last ')'.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[14 - 3], CultureInfo.InvariantCulture) + long.Parse(fields[15 - 3], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((double)ticks / s_ticksPerSecond);
    }

    /// <summary>utime and stime (fields 14 and 15) of <paramref name="pid"/> apart: user code and the kernel's work for it.</summary>
    public static (TimeSpan User, TimeSpan System) CpuTimes(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long user = long.Parse(fields[14 - 3], CultureInfo.InvariantCulture), system = long.Parse(fields[15 - 3], CultureInfo.InvariantCulture);
        return (TimeSpan.FromSeconds((double)user / s_ticksPerSecond), TimeSpan.FromSeconds((double)system / s_ticksPerSecond));
    }

    /// <summary>Machine-wide busy and total CPU time from the "cpu" line of /proc/stat (busy = total - idle - iowait).</summary>
    public static (TimeSpan Busy, TimeSpan Total) MachineCpu()
    {
        string line = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long total = 0;
        // user nice system idle iowait irq softirq steal (guest time is already inside user)
        for (int i = 1; i <= 8 && i < fields.Length; i++)
        {
            total += long.Parse(fields[i], CultureInfo.InvariantCulture);
        }
        long idle = long.Parse(fields[4], CultureInfo.InvariantCulture) + long.Parse(fields[5], CultureInfo.InvariantCulture);
        return (TimeSpan.FromSeconds((double)(total - idle) / s_ticksPerSecond), TimeSpan.FromSeconds((double)total / s_ticksPerSecond));
    }

    private static long ReadTicksPerSecond()
    {
        long ticks = SysConf(ScClkTck);
        return ticks > 0 ? ticks : 100;
    }

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);
}
