using System.Diagnostics.CodeAnalysis;
using WebConsole.Region;

namespace WebConsole.Encoding;

/// <summary>
/// Checks that a rectangle lies inside an XRGB8888 frame before any code (native code included)
/// reads it through a raw pointer; an out-of-range rectangle would otherwise read past the frame.
/// </summary>
internal static class FrameBounds
{
    public const int BytesPerPixel = 4;

    /// <summary>Byte offset of the rectangle's top-left pixel.</summary>
    public static int Check(int frameLength, int stride, PixelRect rect)
    {
        if (rect.IsEmpty || rect.X < 0 || rect.Y < 0 || (long)rect.Right * BytesPerPixel > stride
            || (long)(rect.Bottom - 1) * stride + (long)rect.Right * BytesPerPixel > frameLength)
        {
            ThrowOutside(frameLength, stride, rect);
        }
        return rect.Y * stride + rect.X * BytesPerPixel;
    }

    [DoesNotReturn]
    private static void ThrowOutside(int frameLength, int stride, PixelRect rect) =>
        throw new ArgumentOutOfRangeException(nameof(rect), rect,
            $"The rectangle is empty or not inside the frame ({frameLength} bytes, stride {stride}).");
}
