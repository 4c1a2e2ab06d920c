namespace WebConsole.Sources.Qemu;

public sealed partial class QemuSource
{
    [LoggerMessage(Level = LogLevel.Information, Message = "QEMU console {Target}: waiting for producer ({Reason}); retrying with backoff")]
    private partial void LogWaiting(string target, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "QEMU console {Target}: connected, listener registered (absolute pointer: {IsAbsolute})")]
    private partial void LogConnected(string target, bool isAbsolute);

    [LoggerMessage(Level = LogLevel.Information, Message = "QEMU console {Target}: clipboard registered: {State}")]
    private partial void LogClipboard(string target, string state);

    [LoggerMessage(Level = LogLevel.Information, Message = "QEMU console {Target}: disconnected ({Reason})")]
    private partial void LogDisconnected(string target, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "QEMU console {Target}: the surface is {ShownWidth}x{ShownHeight} but the console is {Width}x{Height} (a stale Scanout); registering again")]
    private partial void LogStaleScanout(string target, int shownWidth, int shownHeight, uint width, uint height);

    [LoggerMessage(Level = LogLevel.Error, Message = "QEMU console {Target}: connection failed unexpectedly")]
    private partial void LogConnectionFailed(Exception e, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "QEMU console {Target}: rejected a message: {Reason}")]
    private partial void LogRejected(string target, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "QEMU console {Target}: {Count} more rejections in the last interval were not logged")]
    private partial void LogRejectionsSuppressed(string target, int count);
}
