namespace WebConsole.Sources.X11;

internal sealed partial class X11Clipboard
{
    [LoggerMessage(Level = LogLevel.Information, Message = "X clipboard {Display}: connected (selection events {Watched}, INCR above {Chunk} bytes)")]
    private partial void LogConnected(string display, bool watched, int chunk);

    [LoggerMessage(Level = LogLevel.Information, Message = "X clipboard {Display}: waiting for the X server: {Problem}")]
    private partial void LogWaiting(string display, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "X clipboard {Display}: the X server closed the connection")]
    private partial void LogDisconnected(string display);

    [LoggerMessage(Level = LogLevel.Warning, Message = "X clipboard {Display}: malformed reply ({Problem}); reconnecting")]
    private partial void LogMalformed(string display, string problem);

    [LoggerMessage(Level = LogLevel.Debug, Message = "X clipboard {Display}: owns the selection with {Bytes} bytes (all selections: {All})")]
    private partial void LogOwned(string display, int bytes, bool all);

    [LoggerMessage(Level = LogLevel.Debug, Message = "X clipboard {Display}: the guest copied {Bytes} bytes")]
    private partial void LogGuestText(string display, int bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "X clipboard {Display}: a guest text of {Bytes} bytes is over the limit of {MaxBytes} bytes, dropped")]
    private partial void LogGuestTooLarge(string display, long bytes, int maxBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "X clipboard {Display}: a guest text was refused: {Problem}")]
    private partial void LogGuestRefused(string display, string problem);

    [LoggerMessage(Level = LogLevel.Debug, Message = "X clipboard {Display}: {Peer} stopped in the middle of a transfer, given up")]
    private partial void LogStalled(string display, string peer);
}
