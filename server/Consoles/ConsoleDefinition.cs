using System.Text.RegularExpressions;
using WebConsole.Sources;
using WebConsole.Sources.Clipboard;

namespace WebConsole.Consoles;

/// <summary>
/// What a console shows: its source and, for an xwd console, the X display its input goes to; and
/// which ways its clipboard may carry text (<see cref="Clipboard"/>, null: <c>Clipboard:Directions</c>).
/// Two definitions are equal when they would show the same thing, so setting an equal one is a no-op.
/// </summary>
public sealed partial record ConsoleDefinition(SourceSpec Spec, string? Display = null, ClipboardDirections? Clipboard = null)
{
    /// <summary>Longest console id: ids appear in URLs, log lines and metric labels.</summary>
    public const int MaxIdLength = 64;

    /// <summary>True when <paramref name="id"/> may name a console: letters, digits, '-' and '_'.</summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>The rule <see cref="IsValidId"/> checks, in words.</summary>
    public const string IdRule = "a console id may hold letters, digits, '-' and '_' (1-64 characters)";

    /// <summary>
    /// Validates a console as configuration or the API gives it; on failure, every problem, each
    /// starting with <paramref name="key"/> and the field (<c>Consoles:vm1:Source: ...</c>).
    /// </summary>
    public static bool TryCreate(string key, string? source, string? display, out ConsoleDefinition? definition, List<string> problems) =>
        TryCreate(key, source, display, clipboard: null, out definition, problems);

    /// <summary>As the other overload, with <c>Consoles:&lt;id&gt;:Clipboard</c> (none, to-guest, from-guest, both; null: the default).</summary>
    public static bool TryCreate(string key, string? source, string? display, string? clipboard, out ConsoleDefinition? definition, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        definition = null;
        int before = problems.Count;
        if (!SourceSpec.TryParse(source, out SourceSpec? spec, out string? error))
        {
            problems.Add($"{key}:Source: {error}");
        }
        if (display is not null)
        {
            if (spec is not null && spec.Kind is not (SourceKind.Xwd or SourceKind.XwdShm))
            {
                problems.Add($"{key}:Display: only an xwd or xwd-shm source takes an X display (this console's source is {spec})");
            }
            else if (!DisplayPattern().IsMatch(display))
            {
                problems.Add($"{key}:Display: '{display}' is not an X display name such as :99, :1.0 or unix:5");
            }
        }
        ClipboardDirections? directions = null;
        if (!string.IsNullOrWhiteSpace(clipboard))
        {
            if (ClipboardText.TryParseDirections(clipboard, out ClipboardDirections parsed))
            {
                directions = parsed;
            }
            else
            {
                problems.Add($"{key}:Clipboard: '{clipboard}' is not {ClipboardText.DirectionNames}");
            }
        }
        if (problems.Count > before)
        {
            return false;
        }
        definition = new ConsoleDefinition(spec!, string.IsNullOrWhiteSpace(display) ? null : display, directions);
        return true;
    }

    // [host]:display[.screen], as XOpenDisplay takes it; no TCP hosts with odd characters.
    [GeneratedRegex(@"^[A-Za-z0-9._/-]{0,253}:[0-9]{1,5}(\.[0-9]{1,3})?$")]
    private static partial Regex DisplayPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex IdPattern();
}
