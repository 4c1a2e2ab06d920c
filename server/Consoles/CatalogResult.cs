namespace WebConsole.Consoles;

/// <summary>The outcome of a change, with the reason a refusal gives its caller.</summary>
internal sealed record CatalogResult(CatalogOutcome Outcome, string? Reason = null)
{
    /// <summary>For a set that succeeded: the console as the change left it (a later change may already have replaced it).</summary>
    public ConsoleEntry? Entry { get; init; }

    public static readonly CatalogResult Created = new(CatalogOutcome.Created);
    public static readonly CatalogResult Changed = new(CatalogOutcome.Changed);
    public static readonly CatalogResult Unchanged = new(CatalogOutcome.Unchanged);
    public static readonly CatalogResult Removed = new(CatalogOutcome.Removed);

    /// <summary>True when the set now holds what was asked (created, changed, unchanged or removed).</summary>
    public bool Succeeded => Outcome is CatalogOutcome.Created or CatalogOutcome.Changed or CatalogOutcome.Unchanged or CatalogOutcome.Removed;
}
