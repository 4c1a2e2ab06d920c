using WebConsole.Region;

namespace WebConsole.Tests.TestData;

/// <summary>An XRGB8888 frame (B, G, R, X in memory) with optional row padding, as a source hands it over.</summary>
internal sealed class TestImage
{
    public TestImage(int width, int height, int paddingBytes = 0)
    {
        Width = width;
        Height = height;
        Stride = width * 4 + paddingBytes;
        Bytes = new byte[Stride * height];
    }

    public int Width { get; }
    public int Height { get; }
    public int Stride { get; }
    public byte[] Bytes { get; }

    public PixelRect Bounds => new(0, 0, Width, Height);

    public TestImage Clone()
    {
        var copy = new TestImage(Width, Height, Stride - Width * 4);
        Bytes.CopyTo(copy.Bytes, 0);
        return copy;
    }

    /// <summary>Flips one byte of a pixel (any of B, G, R, X) to a different value.</summary>
    public void ChangePixel(int x, int y, int channel = 0) => Bytes[y * Stride + x * 4 + channel] ^= 0x5A;

    public void Set(int x, int y, byte r, byte g, byte b, byte xByte = 0)
    {
        int i = y * Stride + x * 4;
        Bytes[i] = b;
        Bytes[i + 1] = g;
        Bytes[i + 2] = r;
        Bytes[i + 3] = xByte;
    }

    public (byte R, byte G, byte B) Get(int x, int y)
    {
        int i = y * Stride + x * 4;
        return (Bytes[i + 2], Bytes[i + 1], Bytes[i]);
    }
}
