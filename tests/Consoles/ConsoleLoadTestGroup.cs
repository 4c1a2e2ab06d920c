namespace WebConsole.Tests.Consoles;

/// <summary>
/// The console churn and storm tests load both cores for half a minute and count the server's
/// threads and descriptors: they run alone, after the parallel tests, so neither they nor the
/// timing of others suffer.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleLoadTestGroup
{
    public const string Name = "console load";
}
