using Microsoft.Extensions.Options;

namespace WebConsole.Consoles;

/// <summary>
/// Checks the <c>Consoles</c> section with messages naming the key: at start-up a failure stops the
/// server; on a later change it is logged and the running set stays (<see cref="ConfigurationConsoles"/>).
/// </summary>
internal sealed class ConsolesOptionsValidator : IValidateOptions<ConsolesOptions>
{
    public const int MaxMaxConsoles = 100_000;

    public ValidateOptionsResult Validate(string? name, ConsolesOptions options)
    {
        var failures = new List<string>(options.BindingProblems);
        if (options.MaxConsoles < 1 || options.MaxConsoles > MaxMaxConsoles)
        {
            failures.Add($"Consoles:{ConsolesOptions.MaxConsolesKey}: {options.MaxConsoles} is not 1 to {MaxMaxConsoles}");
        }
        else if (options.Count > options.MaxConsoles)
        {
            failures.Add($"Consoles: {options.Count} consoles configured, more than Consoles:{ConsolesOptions.MaxConsolesKey} ({options.MaxConsoles})");
        }
        foreach (var (id, console) in options)
        {
            if (!ConsoleDefinition.IsValidId(id))
            {
                failures.Add($"Consoles:{id}: {ConsoleDefinition.IdRule}");
            }
            ConsoleDefinition.TryCreate($"Consoles:{id}", console.Source, console.Display, console.Clipboard, out _, failures);
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The definitions of a valid section.</summary>
    public static Dictionary<string, ConsoleDefinition> Definitions(ConsolesOptions options)
    {
        var definitions = new Dictionary<string, ConsoleDefinition>(StringComparer.Ordinal);
        var ignored = new List<string>();
        foreach (var (id, console) in options)
        {
            if (ConsoleDefinition.TryCreate($"Consoles:{id}", console.Source, console.Display, console.Clipboard, out ConsoleDefinition? definition, ignored))
            {
                definitions[id] = definition!;
            }
        }
        return definitions;
    }
}
