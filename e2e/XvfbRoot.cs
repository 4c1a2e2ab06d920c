using WebConsole.Testing;

namespace WebConsole.E2E;

/// <summary>The root window of a test Xvfb as the X server shows it, as a picture to compare with the page.</summary>
internal static class XvfbRoot
{
    /// <summary><c>xwd -root</c>, pixel for pixel.</summary>
    public static TestImage Root(this Xvfb xvfb)
    {
        uint[] pixels = xvfb.RootPixels(out int width, out int height);
        var image = new TestImage(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                uint v = pixels[y * width + x];
                image.Set(x, y, new Rgb((byte)(v >> 16), (byte)(v >> 8), (byte)v));
            }
        }
        return image;
    }
}
