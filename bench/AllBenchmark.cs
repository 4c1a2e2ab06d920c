namespace WebConsole.Bench;

/// <summary><c>all</c>: every other benchmark in turn with its default options; one failing does not stop the rest.</summary>
internal sealed class AllBenchmark(IReadOnlyList<IBenchmark> parts) : IBenchmark
{
    public string Name => "all";

    public string Description => "every benchmark above, in order, with default options";

    public int Run(ReadOnlySpan<string> args)
    {
        int exitCode = 0;
        Console.WriteLine($"# machine: {MachineInfo.Describe()}");
        Console.WriteLine();
        foreach (IBenchmark part in parts)
        {
            Console.WriteLine($"## {part.Name}");
            Console.WriteLine();
            try
            {
                int code = part.Run([]);
                exitCode = exitCode == 0 ? code : exitCode;
            }
            catch (Exception e)
            {
                // Reported on stdout too, so a saved run shows which part failed and why.
                Console.WriteLine($"FAILED: {part.Name}: {e}");
                exitCode = 1;
            }
            Console.WriteLine();
        }
        return exitCode;
    }
}
