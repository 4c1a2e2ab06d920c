namespace WebConsole.Sources.Clipboard;

/// <summary>Which ways clipboard text may cross: what a source can carry, and what a viewer is allowed.</summary>
[Flags]
public enum ClipboardDirections
{
    None = 0,

    /// <summary>Browser to guest.</summary>
    ToGuest = 1,

    /// <summary>Guest to browser.</summary>
    FromGuest = 2,

    Both = ToGuest | FromGuest,
}
