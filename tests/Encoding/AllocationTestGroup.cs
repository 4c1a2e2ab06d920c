namespace WebConsole.Tests.Encoding;

/// <summary>Allocation counters are process-wide or easily disturbed: these tests run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationTestGroup
{
    public const string Name = "Encoding allocations";
}
