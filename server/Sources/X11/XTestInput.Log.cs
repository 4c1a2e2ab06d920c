namespace WebConsole.Sources.X11;

public sealed partial class XTestInput
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Input to X display {Display} goes through XTEST {Major}.{Minor}")]
    private partial void LogConnected(string display, int major, int minor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot open X display {Display} for input; retrying every second while input arrives")]
    private partial void LogUnreachable(string display);

    [LoggerMessage(Level = LogLevel.Warning, Message = "X display {Display} has no XTEST extension; input is dropped")]
    private partial void LogNoXTest(string display);

    [LoggerMessage(Level = LogLevel.Information, Message = "X display {Display} went away; input reconnects on the next event")]
    private partial void LogDisconnected(string display);
}
