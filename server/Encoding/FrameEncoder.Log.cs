namespace WebConsole.Encoding;

public sealed partial class FrameEncoder
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Frame encoder: {Workers} threads, JPEG via {JpegEncoder} at quality {Quality}")]
    private static partial void LogCreated(ILogger logger, int workers, string jpegEncoder, int quality);
}
