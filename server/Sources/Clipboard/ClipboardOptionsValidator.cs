using Microsoft.Extensions.Options;

namespace WebConsole.Sources.Clipboard;

/// <summary>Stops start-up with a message naming the key when the <c>Clipboard</c> section is malformed.</summary>
internal sealed class ClipboardOptionsValidator : IValidateOptions<ClipboardOptions>
{
    public ValidateOptionsResult Validate(string? name, ClipboardOptions options)
    {
        var failures = new List<string>();
        if (!ClipboardText.TryParseDirections(options.Directions, out _))
        {
            failures.Add($"Clipboard:Directions: '{options.Directions}' is not {ClipboardText.DirectionNames}");
        }
        if (options.MaxBytes is < 1 or > ClipboardOptions.MaxMaxBytes)
        {
            failures.Add($"Clipboard:MaxBytes: 1 to {ClipboardOptions.MaxMaxBytes} bytes");
        }
        if (options.BytesPerSecond is < 1024 or > 1024 * 1024 * 1024)
        {
            failures.Add("Clipboard:BytesPerSecond: 1024 to 1073741824");
        }
        if (options.TextsPerSecond is < 1 or > 1000)
        {
            failures.Add("Clipboard:TextsPerSecond: 1 to 1000");
        }
        if (!ClipboardText.TryParseSelection(options.Selection, out _))
        {
            failures.Add($"Clipboard:Selection: '{options.Selection}' is not clipboard, primary or both");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
