namespace WebConsole.Streaming;

internal sealed partial class ClipboardRelay
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Console {ConsoleId}: clipboard set in the guest, {Bytes} bytes from viewer {ConnectionId}")]
    private partial void LogSet(string consoleId, int bytes, string connectionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Console {ConsoleId}: the guest copied {Bytes} bytes, sent to {Viewers} viewers")]
    private partial void LogGuestText(string consoleId, int bytes, int viewers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Console {ConsoleId}: a guest clipboard text of {Chars} characters was over the limit or malformed, dropped")]
    private partial void LogGuestTextDropped(string consoleId, int chars);
}
