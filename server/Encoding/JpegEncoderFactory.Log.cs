namespace WebConsole.Encoding;

public static partial class JpegEncoderFactory
{
    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Library} was not found: JPEG rectangles use SkiaSharp, which is slower. Install libturbojpeg0 (Debian/Ubuntu) for faster encoding")]
    private static partial void LogTurboJpegMissing(ILogger logger, string library);
}
