namespace WebConsole.Hosting;

/// <summary>The <c>Consoles</c> section: console id to its options. Empty means one demo console.</summary>
public sealed class ConsolesOptions : Dictionary<string, ConsoleOptions>
{
    public ConsolesOptions()
        : base(StringComparer.Ordinal)
    {
    }
}
