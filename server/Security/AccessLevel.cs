namespace WebConsole.Security;

/// <summary>What a ticket lets its holder do with its console.</summary>
public enum AccessLevel
{
    /// <summary>Watch only: input is dropped and logged by the server.</summary>
    View,

    /// <summary>Watch and drive: keyboard, pointer, typed text.</summary>
    Control,
}
