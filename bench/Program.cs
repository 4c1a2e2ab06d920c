using WebConsole.Bench;

// Each benchmark is a subcommand; add new ones (capture, end-to-end) to this table.
IBenchmark[] benchmarks =
[
    new EncodeBenchmark(),
    new CodecBenchmark(),
    new CaptureBenchmark(),
    new LatencyBenchmark(),
    new AnimationBenchmark(),
    new ViewersBenchmark(),
    new FanOutBenchmark(),
    new MemoryBenchmark(),
    new QemuBenchmark(),
    new PeersBenchmark(),
    new IdleBenchmark(),
    new ConsolesBenchmark(),
    new StartupBenchmark(),
];
benchmarks = [.. benchmarks, new AllBenchmark(benchmarks)];

if (args.Length > 0)
{
    foreach (IBenchmark benchmark in benchmarks)
    {
        if (string.Equals(benchmark.Name, args[0], StringComparison.OrdinalIgnoreCase))
        {
            return benchmark.Run(args.AsSpan(1));
        }
    }
}

Console.Error.WriteLine("usage: dotnet run -c Release --project bench -- <benchmark> [options]");
foreach (IBenchmark benchmark in benchmarks)
{
    Console.Error.WriteLine($"  {benchmark.Name,-10} {benchmark.Description}");
}
return args.Length == 0 ? 0 : 2;
