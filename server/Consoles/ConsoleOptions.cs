namespace WebConsole.Consoles;

/// <summary>One console: <c>Consoles:&lt;id&gt;:Source</c> and, for an xwd console, <c>Consoles:&lt;id&gt;:Display</c>.</summary>
public sealed record ConsoleOptions
{
    /// <summary><c>region:/dev/shm/vm1.fb</c>, <c>xwd:/path/Xvfb_screen0</c>, <c>fbdev:/dev/fb0</c> or <c>demo</c>.</summary>
    public string? Source { get; init; }

    /// <summary>The X display that input to an xwd console goes to through XTEST, e.g. <c>:99</c>; without it that input is dropped.</summary>
    public string? Display { get; init; }

    /// <summary>Which ways this console's clipboard may carry text: none, to-guest, from-guest or both; unset: <c>Clipboard:Directions</c>.</summary>
    public string? Clipboard { get; init; }
}
