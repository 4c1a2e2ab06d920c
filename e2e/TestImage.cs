using WebConsole.Region;

namespace WebConsole.E2E;

/// <summary>
/// A picture the test expects on the canvas, kept as RGBA (the order getImageData returns),
/// which a producer writes into a region as XRGB8888 (bytes B, G, R, X).
/// </summary>
internal sealed class TestImage
{
    public TestImage(int width, int height)
    {
        Width = width;
        Height = height;
        Rgba = new byte[width * height * 4];
    }

    /// <summary>A picture of <paramref name="pixels"/>, 0xRRGGBB each, row by row (what an X server or QEMU shows).</summary>
    public static TestImage FromRgb(uint[] pixels, int width, int height)
    {
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

    public int Width { get; }

    public int Height { get; }

    public byte[] Rgba { get; }

    public void Fill(PixelRect r, Rgb colour)
    {
        for (int y = r.Y; y < r.Bottom; y++)
        {
            for (int x = r.X; x < r.Right; x++)
            {
                Set(x, y, colour);
            }
        }
    }

    public void Set(int x, int y, Rgb colour)
    {
        int at = (y * Width + x) * 4;
        Rgba[at] = colour.R;
        Rgba[at + 1] = colour.G;
        Rgba[at + 2] = colour.B;
        Rgba[at + 3] = 255;
    }

    public Rgb Get(int x, int y)
    {
        int at = (y * Width + x) * 4;
        return new Rgb(Rgba[at], Rgba[at + 1], Rgba[at + 2]);
    }

    /// <summary>The RGBA bytes of <paramref name="r"/>, row after row.</summary>
    public byte[] Crop(PixelRect r)
    {
        byte[] result = new byte[r.Width * r.Height * 4];
        for (int y = 0; y < r.Height; y++)
        {
            Rgba.AsSpan(((r.Y + y) * Width + r.X) * 4, r.Width * 4).CopyTo(result.AsSpan(y * r.Width * 4));
        }
        return result;
    }

    /// <summary>Copies <paramref name="r"/> into a region buffer (XRGB8888: B, G, R, X).</summary>
    public void CopyTo(Span<byte> xrgb, int stride, PixelRect r)
    {
        for (int y = r.Y; y < r.Bottom; y++)
        {
            for (int x = r.X; x < r.Right; x++)
            {
                int from = (y * Width + x) * 4, to = y * stride + x * 4;
                xrgb[to] = Rgba[from + 2];
                xrgb[to + 1] = Rgba[from + 1];
                xrgb[to + 2] = Rgba[from];
                xrgb[to + 3] = 255;
            }
        }
    }
}
