using Microsoft.Extensions.Options;

namespace WebConsole.Consoles;

/// <summary>
/// Keeps the configuration's consoles in the live set: at start-up (a bad section stops the server
/// with the keys named) and after every change of any reloadable provider (appsettings.json,
/// key-per-file...). A bad edit is refused with one error naming the key; the running set stays.
/// </summary>
internal sealed partial class ConfigurationConsoles(
    ConsoleCatalog catalog, IOptionsMonitor<ConsolesOptions> options, ILogger<ConfigurationConsoles> logger) : IHostedService, IDisposable
{
    private readonly ConsolesOptionsValidator _validator = new();
    private readonly Lock _applying = new();
    private IDisposable? _subscription;
    private string? _lastRefused;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ConsolesOptions current = options.CurrentValue;
        ValidateOptionsResult result = _validator.Validate(null, current);
        if (result.Failed)
        {
            throw new OptionsValidationException(nameof(ConsolesOptions), typeof(ConsolesOptions), result.Failures);
        }
        Apply(current);
        _subscription = options.OnChange(Changed);
        return Task.CompletedTask;
    }

    private void Changed(ConsolesOptions changed)
    {
        ValidateOptionsResult result = _validator.Validate(null, changed);
        if (result.Failed)
        {
            // A file save often signals twice: the same refusal is logged once.
            string problems = string.Join("; ", result.Failures);
            if (Interlocked.Exchange(ref _lastRefused, problems) != problems)
            {
                LogRefused(problems);
            }
            return;
        }
        _lastRefused = null;
        Apply(changed);
    }

    private void Apply(ConsolesOptions section)
    {
        lock (_applying)
        {
            catalog.Sync(ConsoleOrigin.Configuration, ConsolesOptionsValidator.Definitions(section));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _subscription?.Dispose();

    [LoggerMessage(Level = LogLevel.Error, Message = "Configuration change to Consoles refused, the running consoles stay as they were: {Problems}")]
    private partial void LogRefused(string problems);
}
