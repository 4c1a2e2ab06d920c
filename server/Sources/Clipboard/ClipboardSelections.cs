namespace WebConsole.Sources.Clipboard;

/// <summary>Which X selections an X console's clipboard follows (<c>Clipboard:Selection</c>).</summary>
[Flags]
public enum ClipboardSelections
{
    /// <summary>CLIPBOARD: what Ctrl+C and Ctrl+V use.</summary>
    Clipboard = 1,

    /// <summary>PRIMARY: the last selected text, pasted with the middle button.</summary>
    Primary = 2,

    Both = Clipboard | Primary,
}
