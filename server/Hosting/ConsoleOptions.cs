namespace WebConsole.Hosting;

/// <summary>One console: <c>Consoles:&lt;id&gt;:Source</c>.</summary>
public sealed record ConsoleOptions
{
    /// <summary><c>region:/dev/shm/vm1.fb</c> or <c>demo</c>.</summary>
    public string? Source { get; init; }
}
