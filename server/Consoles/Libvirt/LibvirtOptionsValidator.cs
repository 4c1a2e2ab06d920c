using Microsoft.Extensions.Options;

namespace WebConsole.Consoles.Libvirt;

/// <summary>Stops start-up with a message naming the key when the <c>Libvirt</c> section is malformed.</summary>
internal sealed class LibvirtOptionsValidator : IValidateOptions<LibvirtOptions>
{
    /// <summary>Longest URI and pattern accepted; anything longer is a mistake, not a host.</summary>
    public const int MaxLength = 1024;

    public ValidateOptionsResult Validate(string? name, LibvirtOptions options)
    {
        var failures = new List<string>();
        string uri = options.Uri ?? "";
        if (uri.Length > 0 && !IsLibvirtUri(uri))
        {
            failures.Add($"Libvirt:Uri: '{uri}' is not a libvirt connection URI such as qemu:///system or qemu+ssh://host/system");
        }
        if (!string.Equals(options.IdFrom, "name", StringComparison.OrdinalIgnoreCase) && !options.IdsFromUuid)
        {
            failures.Add($"Libvirt:IdFrom: '{options.IdFrom}' is neither name nor uuid");
        }
        for (int i = 0; i < options.Domains.Count; i++)
        {
            string pattern = options.Domains[i] ?? "";
            if (!LibvirtDomainFilter.IsValidPattern(pattern))
            {
                failures.Add($"Libvirt:Domains:{i}: '{pattern}' is not a domain name pattern (1-{MaxLength} printable characters; * and ? match)");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsLibvirtUri(string uri)
    {
        if (uri.Length > MaxLength || uri.Any(char.IsControl) || uri.Contains(' ', StringComparison.Ordinal))
        {
            return false;
        }
        // driver[+transport]://[user@][host][:port]/[path][?extra]; qemu:///system has no host.
        int scheme = uri.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0)
        {
            return false;
        }
        foreach (char c in uri.AsSpan(0, scheme))
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
            {
                return false;
            }
        }
        return char.IsAsciiLetter(uri[0]);
    }
}
