using WebConsole.Testing;

namespace WebConsole.E2E;

/// <summary>The root window of a test Xvfb as the X server shows it, as a picture to compare with the page.</summary>
internal static class XvfbRoot
{
    /// <summary><c>xwd -root</c>, pixel for pixel.</summary>
    public static TestImage Root(this Xvfb xvfb)
    {
        uint[] pixels = xvfb.RootPixels(out int width, out int height);
        return TestImage.FromRgb(pixels, width, height);
    }
}
