using System.Diagnostics;
using System.Runtime.InteropServices;
using static Tmds.Linux.LibC;

namespace WebConsole.Bench;

/// <summary>
/// <c>memory</c>: what touching fresh memory costs on this machine, against copying into memory
/// already touched. A page fault costs about 0.1-0.25 us on bare metal; on some virtual machines
/// (shadow page tables) fifty times that, and then every buffer a browser or server allocates
/// per frame costs more than the work done with it. The end-to-end figures depend on it.
/// </summary>
internal sealed unsafe class MemoryBenchmark : IBenchmark
{
    private const int Bytes = 64 << 20;
    private const int Page = 4096;

    public string Name => "memory";

    public string Description => "fresh-memory page fault cost vs a warm copy, 64 MB [--rounds N]";

    public int Run(ReadOnlySpan<string> args)
    {
        int rounds = CommandLine.Int(args, "--rounds", 5);
        Console.WriteLine($"# memory: anonymous mmap of {Bytes >> 20} MB, one write per 4 KB page, then a memset of the same (now warm) pages; " +
            $"{rounds} rounds; load average {MachineInfo.LoadAverage}");
        Console.WriteLine();
        Console.WriteLine("| Round | First touch ms | us per page fault | Fresh memory MB/s | Warm memset ms | Warm memset MB/s |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        for (int round = 1; round <= rounds; round++)
        {
            void* memory = mmap(null, Bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (memory == MAP_FAILED)
            {
                throw new InvalidOperationException($"mmap failed: errno {Marshal.GetLastPInvokeError()}");
            }
            try
            {
                byte* p = (byte*)memory;
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < Bytes; i += Page)
                {
                    p[i] = 1;
                }
                double touch = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                start = Stopwatch.GetTimestamp();
                new Span<byte>(p, Bytes).Fill(2);
                double warm = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                double faults = Bytes / Page;
                Console.WriteLine($"| {round} | {touch:F1} | {touch * 1000 / faults:F2} | {(Bytes >> 20) / (touch / 1000):F0} | {warm:F1} | {(Bytes >> 20) / (warm / 1000):F0} |");
            }
            finally
            {
                _ = munmap(memory, Bytes);
            }
        }
        return 0;
    }
}
