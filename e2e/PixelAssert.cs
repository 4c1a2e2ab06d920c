using System.Text;
using WebConsole.Region;
using Xunit.Sdk;

namespace WebConsole.E2E;

/// <summary>Compares canvas pixels (RGBA from getImageData) with what the test drew.</summary>
internal static class PixelAssert
{
    /// <summary>
    /// Every pixel of the canvas equals <paramref name="expected"/> exactly, except inside
    /// <paramref name="lossy"/> areas.
    /// </summary>
    public static void ExactOutside(TestImage expected, byte[] actual, params PixelRect[] lossy)
    {
        if (actual.Length != expected.Rgba.Length)
        {
            throw new XunitException($"canvas has {actual.Length} RGBA bytes, expected {expected.Rgba.Length} ({expected.Width}x{expected.Height})");
        }
        int mismatches = 0;
        var first = new StringBuilder();
        for (int y = 0; y < expected.Height; y++)
        {
            for (int x = 0; x < expected.Width; x++)
            {
                if (Inside(lossy, x, y))
                {
                    continue;
                }
                int at = (y * expected.Width + x) * 4;
                if (actual[at] != expected.Rgba[at] || actual[at + 1] != expected.Rgba[at + 1] ||
                    actual[at + 2] != expected.Rgba[at + 2] || actual[at + 3] != 255)
                {
                    if (mismatches++ < 8)
                    {
                        first.Append($"\n  ({x},{y}): rgba({actual[at]}, {actual[at + 1]}, {actual[at + 2]}, {actual[at + 3]}), expected {expected.Get(x, y)}");
                    }
                }
            }
        }
        if (mismatches > 0)
        {
            throw new XunitException($"{mismatches} pixels differ from the lossless picture; first ones:{first}");
        }
    }

    /// <summary>Exactly <paramref name="expected"/> in <paramref name="r"/> (<paramref name="actual"/> holds just that rectangle).</summary>
    public static void ExactIn(TestImage expected, PixelRect r, byte[] actual)
    {
        var crop = new TestImage(r.Width, r.Height);
        expected.Crop(r).CopyTo(crop.Rgba, 0);
        ExactOutside(crop, actual);
    }

    /// <summary>Close to <paramref name="expected"/> in <paramref name="r"/>: lossy, but the picture.</summary>
    public static void Near(TestImage expected, byte[] canvas, PixelRect r, double maxMeanError, int maxError)
    {
        long sum = 0;
        int worst = 0, count = 0;
        for (int y = r.Y; y < r.Bottom; y++)
        {
            for (int x = r.X; x < r.Right; x++)
            {
                int at = (y * expected.Width + x) * 4;
                for (int c = 0; c < 3; c++)
                {
                    int error = Math.Abs(canvas[at + c] - expected.Rgba[at + c]);
                    sum += error;
                    worst = Math.Max(worst, error);
                    count++;
                }
            }
        }
        double mean = (double)sum / count;
        if (mean > maxMeanError || worst > maxError)
        {
            throw new XunitException(
                $"{r} is too far from the picture: mean error {mean:F2} (at most {maxMeanError}), worst {worst} (at most {maxError})");
        }
    }

    private static bool Inside(PixelRect[] areas, int x, int y)
    {
        foreach (PixelRect r in areas)
        {
            if (x >= r.X && x < r.Right && y >= r.Y && y < r.Bottom)
            {
                return true;
            }
        }
        return false;
    }
}
