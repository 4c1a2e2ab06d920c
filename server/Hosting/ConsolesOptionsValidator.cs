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
            if (!SourceSpec.TryParse(console.Source, out SourceSpec? spec, out string? error))
            {
                failures.Add($"Consoles:{id}:Source: {error}");
            }
            if (console.Display is not null)
            {
                if (spec is not null && spec.Kind is not (SourceKind.Xwd or SourceKind.XwdShm))
                {
                    failures.Add($"Consoles:{id}:Display: only an xwd or xwd-shm source takes an X display (this console's source is {spec})");
                }
                else if (!DisplayPattern().IsMatch(console.Display))
                {
                    failures.Add($"Consoles:{id}:Display: '{console.Display}' is not an X display name such as :99, :1.0 or unix:5");
                }
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // [host]:display[.screen], as XOpenDisplay takes it; no TCP hosts with odd characters.
    [GeneratedRegex(@"^[A-Za-z0-9._/-]{0,253}:[0-9]{1,5}(\.[0-9]{1,3})?$")]
    private static partial Regex DisplayPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex IdPattern();
}
