namespace WebConsole.Tests.Packaging;

/// <summary>Tests that install the package on this machine: one at a time, and beside nothing else that uses it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PackagingTestGroup
{
    public const string Name = "Packaging";
}
