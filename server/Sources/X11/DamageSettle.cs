using WebConsole.Region;

namespace WebConsole.Sources.X11;

/// <summary>
/// How long an X source waits, after reading a damaged area, for the rest of the same drawing.
/// Xlib sends an XPutImage of more than 256 KB as several requests (PutSubImage splits at
/// min(65536, max request size) units), and the X server may serve a reader between them: a frame
/// read then is half new, half old. So after reading an area that large, the source waits up to
/// <see cref="Wait"/> for more damage and reads again when it comes; smaller changes (typing,
/// pointer, widgets) are read at once and pay nothing.
/// </summary>
internal static class DamageSettle
{
    /// <summary>Areas at least this large may have come in several requests.</summary>
    public const long SplitBytes = 256 * 1024;

    /// <summary>Time for the next band of a split image: a 256 KB request over a local socket takes well under a millisecond.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromMilliseconds(2);

    /// <summary>How long to wait for more damage after reading <paramref name="rects"/> of <paramref name="bytesPerPixel"/>.</summary>
    public static TimeSpan After(List<PixelRect> rects, int bytesPerPixel)
    {
        long bytes = 0;
        foreach (PixelRect r in rects)
        {
            bytes += r.Area * bytesPerPixel;
        }
        return bytes >= SplitBytes ? Wait : TimeSpan.Zero;
    }
}
