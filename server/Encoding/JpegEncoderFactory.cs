namespace WebConsole.Encoding;

/// <summary>Picks the JPEG encoder: TurboJPEG when the library is installed, SkiaSharp otherwise.</summary>
public static partial class JpegEncoderFactory
{
    private static int s_warned;

    /// <summary>A new encoder for one thread.</summary>
    public static IJpegEncoder Create(int quality) =>
        TurboJpeg.IsAvailable ? new TurboJpegEncoder(quality) : new SkiaJpegEncoder(quality);

    /// <summary>
    /// Logs, once per process, that JPEG falls back to SkiaSharp. Called when an encoder is set up
    /// so the operator sees it at start-up, not buried among frame logs.
    /// </summary>
    public static void WarnIfFallback(ILogger logger)
    {
        if (!TurboJpeg.IsAvailable && Interlocked.Exchange(ref s_warned, 1) == 0)
        {
            LogTurboJpegMissing(logger, TurboJpeg.LibraryName);
        }
    }
}
