using System.Globalization;

namespace WebConsole.Bench;

/// <summary>
/// What a process holds right now, from /proc (proc(5)): resident memory split as the kernel
/// counts it (anonymous: heaps and private buffers; shared memory: pages of /dev/shm regions it
/// has mapped and touched; file: code and other mapped files), threads and open file descriptors.
/// </summary>
internal sealed record ProcFootprint(double RssMiB, double AnonMiB, double ShmemMiB, double FileMiB, int Threads, int Fds)
{
    public static ProcFootprint Read(int pid)
    {
        double rss = 0, anon = 0, shmem = 0, file = 0;
        int threads = 0;
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            switch (line[..Math.Max(0, line.IndexOf(':'))])
            {
                case "VmRSS": rss = Kib(line); break;
                case "RssAnon": anon = Kib(line); break;
                case "RssFile": file = Kib(line); break;
                case "RssShmem": shmem = Kib(line); break;
                case "Threads": threads = int.Parse(line[(line.IndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture); break;
            }
        }
        int fds = Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;
        return new ProcFootprint(rss / 1024, anon / 1024, shmem / 1024, file / 1024, threads, fds);
    }

    /// <summary>
    /// Samples every 500 ms until resident memory moved less than 1 MiB over the last 3 s (the
    /// runtime gives back what a burst took in its own time), at most <paramref name="limit"/>.
    /// </summary>
    public static async Task<ProcFootprint> SettledAsync(int pid, TimeSpan limit)
    {
        var samples = new List<ProcFootprint> { Read(pid) };
        DateTime deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            samples.Add(Read(pid));
            if (samples.Count >= 7)
            {
                IEnumerable<ProcFootprint> last = samples.Skip(samples.Count - 7);
                if (last.Max(s => s.RssMiB) - last.Min(s => s.RssMiB) < 1)
                {
                    break;
                }
            }
        }
        return samples[^1];
    }

    private static double Kib(string line) =>
        double.Parse(line[(line.IndexOf(':') + 1)..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
}
