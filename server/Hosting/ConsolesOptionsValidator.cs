using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using WebConsole.Sources;

namespace WebConsole.Hosting;

/// <summary>Stops start-up with a message naming the key when a console is misconfigured.</summary>
internal sealed partial class ConsolesOptionsValidator : IValidateOptions<ConsolesOptions>
{
    public ValidateOptionsResult Validate(string? name, ConsolesOptions options)
    {
        var failures = new List<string>();
        foreach (var (id, console) in options)
        {
            if (!IdPattern().IsMatch(id))
            {
                failures.Add($"Consoles:{id}: a console id may hold letters, digits, '-' and '_' (1-64 characters)");
            }
            if (!SourceSpec.TryParse(console.Source, out _, out string? error))
            {
                failures.Add($"Consoles:{id}:Source: {error}");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex IdPattern();
}
