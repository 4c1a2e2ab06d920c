namespace WebConsole.Hubs;

/// <summary>Names of the methods the server calls on viewers.</summary>
public static class ConsoleClientMethods
{
    public const string Update = "Update";
    public const string Resize = "Resize";
    public const string State = "State";
    public const string Cursor = "Cursor";
    public const string Clipboard = "Clipboard";
    public const string ClipboardState = "ClipboardState";
}
