using SkiaSharp;

namespace WebConsole.Streaming;

/// <summary>A small PNG of the current screen for the console list.</summary>
internal static class Thumbnail
{
    public const int MaxWidth = 320;

    /// <summary>How long a thumbnail request waits for a frame (a requested-mode producer answers in one frame time).</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromMilliseconds(500);

    public static unsafe byte[]? Encode(ReadOnlyMemory<byte> frame, int width, int height, int stride)
    {
        if (width == 0 || height == 0)
        {
            return null;
        }
        int w = Math.Min(MaxWidth, width), h = Math.Max(1, (int)((long)height * w / width));
        using var handle = frame.Pin();
        var info = new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Opaque);
        using var source = new SKPixmap(info, (IntPtr)handle.Pointer, stride);
        using var scaled = new SKBitmap(new SKImageInfo(w, h, SKColorType.Bgra8888, SKAlphaType.Opaque));
        source.ScalePixels(scaled.PeekPixels(), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        using SKData png = scaled.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }
}
