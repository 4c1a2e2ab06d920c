namespace WebConsole.Sources.Xwd;

public sealed partial class XwdSource
{
    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Input for the xwd console reading {Path} is dropped: no X display is configured (set Consoles:<id>:Display, e.g. :99)")]
    private partial void LogInputDropped(string path);
}
