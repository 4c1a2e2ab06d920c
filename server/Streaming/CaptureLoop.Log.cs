namespace WebConsole.Streaming;

internal sealed partial class CaptureLoop
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Console {ConsoleId}: capture started")]
    private partial void LogCaptureStarted(string consoleId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Console {ConsoleId}: capture stopped")]
    private partial void LogCaptureStopped(string consoleId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Console {ConsoleId}: capture failed; it restarts with the next viewer")]
    private partial void LogCaptureFailed(Exception exception, string consoleId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Console {ConsoleId}: source is {State}: {Reason}")]
    private partial void LogSourceState(string consoleId, string state, string? reason);

    [LoggerMessage(Level = LogLevel.Trace, Message = "Console {ConsoleId}: update {FrameId} with {Rects} rectangles to {Viewers} viewers")]
    private partial void LogUpdateSent(string consoleId, long frameId, int rects, int viewers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Console {ConsoleId}: its source did not return within 2 s of the stop; left to the thread stuck in it")]
    private partial void LogStuckAtStop(string consoleId);
}
