namespace WebConsole.Tests.Capture;

/// <summary>An XRGB8888 frame with optional row padding, as a producer would hand it over.</summary>
internal sealed class TestFrame
{
    public TestFrame(int width, int height, int paddingBytes = 0)
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

    public TestFrame Clone()
    {
        var copy = new TestFrame(Width, Height, Stride - Width * 4);
        Bytes.CopyTo(copy.Bytes, 0);
        return copy;
    }

    /// <summary>Flips one byte of a pixel (any of B, G, R, X) to a different value.</summary>
    public void ChangePixel(int x, int y, int channel = 0) => Bytes[y * Stride + x * 4 + channel] ^= 0x5A;
}
