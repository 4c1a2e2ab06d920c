using Microsoft.Extensions.Options;

namespace WebConsole.Security;

/// <summary>Stops start-up with a message naming the key when the <c>Security</c> section is unsafe or malformed.</summary>
internal sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public const int MinApiKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var failures = new List<string>();
        for (int i = 0; i < options.ApiKeys.Count; i++)
        {
            string key = options.ApiKeys[i] ?? "";
            if (key.Length < MinApiKeyLength || string.IsNullOrWhiteSpace(key))
            {
                failures.Add($"Security:ApiKeys:{i}: an API key needs at least {MinApiKeyLength} characters");
            }
        }
        if (options.TicketSigningKey is not null && !SigningKey.TryParse(options.TicketSigningKey, out _, out string? keyError))
        {
            failures.Add($"Security:TicketSigningKey: {keyError}");
        }
        CheckOrigins(options.AllowedOrigins, "Security:AllowedOrigins", failures);
        CheckOrigins(options.FrameAncestors, "Security:FrameAncestors", failures);
        if (options.MaxTicketLifetimeSeconds is < 1 or > 86_400)
        {
            failures.Add("Security:MaxTicketLifetimeSeconds: 1 to 86400 seconds");
        }
        if (options.TicketLifetimeSeconds < 1 || options.TicketLifetimeSeconds > options.MaxTicketLifetimeSeconds)
        {
            failures.Add("Security:TicketLifetimeSeconds: 1 to Security:MaxTicketLifetimeSeconds seconds");
        }
        if (options.InputEventsPerSecond is < 1 or > 100_000)
        {
            failures.Add("Security:InputEventsPerSecond: 1 to 100000");
        }
        if (options.InputBurst < 1 || options.InputBurst > 1_000_000)
        {
            failures.Add("Security:InputBurst: 1 to 1000000");
        }
        if (options.JoinsPerSecond is < 1 or > 1000)
        {
            failures.Add("Security:JoinsPerSecond: 1 to 1000");
        }
        if (options.JoinBurst is < 1 or > 10_000)
        {
            failures.Add("Security:JoinBurst: 1 to 10000");
        }
        if (options.HubCallsPerSecond is < 10 or > 100_000)
        {
            failures.Add("Security:HubCallsPerSecond: 10 to 100000");
        }
        if (options.MaxMessageBytes is < 1024 or > 16 * 1024 * 1024)
        {
            failures.Add("Security:MaxMessageBytes: 1024 to 16777216 bytes");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckOrigins(IList<string> origins, string key, List<string> failures)
    {
        for (int i = 0; i < origins.Count; i++)
        {
            if (!OriginPolicy.TryNormalize(origins[i], out _, out string? error))
            {
                failures.Add($"{key}:{i}: {error}");
            }
        }
    }
}
