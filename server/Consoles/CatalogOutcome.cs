namespace WebConsole.Consoles;

/// <summary>What a change to the live console set did.</summary>
public enum CatalogOutcome
{
    /// <summary>A new console.</summary>
    Created,

    /// <summary>An existing console now shows another source; its viewers were moved to it.</summary>
    Changed,

    /// <summary>The console already had this definition: nothing happened.</summary>
    Unchanged,

    /// <summary>The console was removed; its viewers were told and disconnected.</summary>
    Removed,

    /// <summary>No console has this id.</summary>
    NotFound,

    /// <summary>The console belongs to another origin, which alone may change it.</summary>
    Conflict,

    /// <summary>The set holds <c>Consoles:MaxConsoles</c> consoles already.</summary>
    Limit,
}
