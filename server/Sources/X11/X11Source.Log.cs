namespace WebConsole.Sources.X11;

public sealed partial class X11Source
{
    [LoggerMessage(Level = LogLevel.Information,
        Message = "X display {Display}: connected, {Width}x{Height} depth {Depth} (DAMAGE {Damage}, MIT-SHM {Shm}, XFixes cursor {Cursor})")]
    private partial void LogConnected(string display, int width, int height, int depth, bool damage, bool shm, bool cursor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "X display {Display} has no DAMAGE extension: polling the whole screen instead")]
    private partial void LogNoDamage(string display);

    [LoggerMessage(Level = LogLevel.Information, Message = "X display {Display}: reading pixels with GetImage, not MIT-SHM ({Problem})")]
    private partial void LogNoShm(string display, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "X display {Display}: the X server went away; waiting for it")]
    private partial void LogDisconnected(string display);

    [LoggerMessage(Level = LogLevel.Information, Message = "X display {Display}: {Problem}; trying again")]
    private partial void LogWaiting(string display, string problem);
}
