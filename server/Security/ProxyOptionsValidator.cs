using System.Net;
using Microsoft.Extensions.Options;

namespace WebConsole.Security;

/// <summary>Start-up checks of <see cref="ProxyOptions"/>: every address and network must parse.</summary>
internal sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        var failures = new List<string>();
        for (int i = 0; i < options.KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(options.KnownProxies[i], out _))
            {
                failures.Add($"Proxy:KnownProxies:{i} '{options.KnownProxies[i]}' is not an IP address");
            }
        }
        for (int i = 0; i < options.KnownNetworks.Count; i++)
        {
            if (!IPNetwork.TryParse(options.KnownNetworks[i], out _))
            {
                failures.Add($"Proxy:KnownNetworks:{i} '{options.KnownNetworks[i]}' is not a network in CIDR form (e.g. 10.0.0.0/24)");
            }
        }
        if (options.ForwardLimit is < 1 or > 10)
        {
            failures.Add($"Proxy:ForwardLimit {options.ForwardLimit} must be 1-10");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
