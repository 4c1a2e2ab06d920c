using System.Globalization;

namespace WebConsole.Bench;

/// <summary>
/// CPU time per thread name of a process (utime + stime of /proc/PID/task/TID/stat, summed over
/// threads of the same name): which of the server's threads spent a window's CPU.
/// </summary>
internal static class ThreadCpu
{
    /// <summary>Clock ticks so far per thread id, with each thread's name.</summary>
    public static Dictionary<int, (string Name, long Ticks)> Read(int pid)
    {
        var threads = new Dictionary<int, (string Name, long Ticks)>();
        foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                string stat = File.ReadAllText(Path.Combine(task, "stat"));
                int open = stat.IndexOf('('), close = stat.LastIndexOf(')');
                string[] fields = stat[(close + 2)..].Split(' ');
                long ticks = long.Parse(fields[14 - 3], CultureInfo.InvariantCulture) + long.Parse(fields[15 - 3], CultureInfo.InvariantCulture);
                threads[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = (stat[(open + 1)..close], ticks);
            }
            catch (IOException)
            {
                // the thread ended while it was read
            }
        }
        return threads;
    }

    /// <summary>
    /// The names that spent the most CPU between two readings, as "name ms/s" (threads that started
    /// in between count from zero), the busiest first.
    /// </summary>
    public static string Busiest(Dictionary<int, (string Name, long Ticks)> before, Dictionary<int, (string Name, long Ticks)> after, double seconds, int top = 4)
    {
        var byName = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach ((int tid, (string name, long ticks)) in after)
        {
            long spent = ticks - (before.TryGetValue(tid, out var b) ? b.Ticks : 0);
            if (spent > 0)
            {
                byName[name] = byName.GetValueOrDefault(name) + spent;
            }
        }
        if (byName.Count == 0)
        {
            return "no thread ran a whole tick";
        }
        return string.Join(", ", byName.OrderByDescending(p => p.Value).Take(top)
            .Select(p => $"{p.Key} {p.Value * 1000.0 / ProcStat.TicksPerSecond / seconds:F1}"));
    }
}
