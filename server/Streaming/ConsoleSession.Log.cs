namespace WebConsole.Streaming;

internal sealed partial class ConsoleSession
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Console {ConsoleId}: viewer {ConnectionId} joined ({Viewers} watching)")]
    private partial void LogViewerJoined(string consoleId, string connectionId, int viewers);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Console {ConsoleId}: viewer {ConnectionId} left ({Viewers} watching)")]
    private partial void LogViewerLeft(string consoleId, string connectionId, int viewers);
}
