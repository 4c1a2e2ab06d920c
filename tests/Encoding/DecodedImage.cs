using SkiaSharp;
using WebConsole.Region;
using WebConsole.Tests.TestData;

namespace WebConsole.Tests.Encoding;

/// <summary>Decodes an encoded payload with Skia (as a browser would) and compares it with the source pixels.</summary>
internal static class DecodedImage
{
    public static SKBitmap Decode(ReadOnlySpan<byte> encoded)
    {
        SKBitmap? bitmap = SKBitmap.Decode(encoded);
        Assert.NotNull(bitmap);
        return bitmap;
    }

    /// <summary>Every pixel's R, G and B equal the source rectangle's.</summary>
    public static void AssertExact(ReadOnlySpan<byte> encoded, TestImage source, PixelRect rect)
    {
        using SKBitmap bitmap = Decode(encoded);
        Assert.Equal(rect.Width, bitmap.Width);
        Assert.Equal(rect.Height, bitmap.Height);
        for (int y = 0; y < rect.Height; y++)
        {
            for (int x = 0; x < rect.Width; x++)
            {
                SKColor actual = bitmap.GetPixel(x, y);
                (byte r, byte g, byte b) = source.Get(rect.X + x, rect.Y + y);
                if (actual.Red != r || actual.Green != g || actual.Blue != b || actual.Alpha != 255)
                {
                    Assert.Fail($"Pixel ({x},{y}) decoded as {actual}, source R={r} G={g} B={b}.");
                }
            }
        }
    }

    /// <summary>Mean absolute error per channel (R, G, B) between the decoded image and the source rectangle.</summary>
    public static (double R, double G, double B) MeanError(ReadOnlySpan<byte> encoded, TestImage source, PixelRect rect)
    {
        using SKBitmap bitmap = Decode(encoded);
        Assert.Equal(rect.Width, bitmap.Width);
        Assert.Equal(rect.Height, bitmap.Height);
        long er = 0, eg = 0, eb = 0;
        for (int y = 0; y < rect.Height; y++)
        {
            for (int x = 0; x < rect.Width; x++)
            {
                SKColor actual = bitmap.GetPixel(x, y);
                (byte r, byte g, byte b) = source.Get(rect.X + x, rect.Y + y);
                er += Math.Abs(actual.Red - r);
                eg += Math.Abs(actual.Green - g);
                eb += Math.Abs(actual.Blue - b);
            }
        }
        double n = rect.Area;
        return (er / n, eg / n, eb / n);
    }
}
