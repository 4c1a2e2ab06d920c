namespace WebConsole.Sources.X11;

internal sealed partial class X11DamageWatch
{
    [LoggerMessage(Level = LogLevel.Information, Message = "X display {Display}: reading the screen as DAMAGE reports changes")]
    private partial void LogDamageActive(string display);

    [LoggerMessage(Level = LogLevel.Information, Message = "X display {Display}: polling the screen instead of X damage ({Reason})")]
    private partial void LogPolling(string display, string reason);
}
