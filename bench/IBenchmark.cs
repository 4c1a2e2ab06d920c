namespace WebConsole.Bench;

/// <summary>One subcommand of the benchmark program.</summary>
internal interface IBenchmark
{
    /// <summary>The subcommand, e.g. <c>encode</c>.</summary>
    string Name { get; }

    /// <summary>One line for the usage text.</summary>
    string Description { get; }

    /// <summary>Runs and prints results to standard output; returns the exit code.</summary>
    int Run(ReadOnlySpan<string> args);
}
