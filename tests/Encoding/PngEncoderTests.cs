using SkiaSharp;
using WebConsole.Encoding;
using WebConsole.Region;
using WebConsole.Tests.TestData;

namespace WebConsole.Tests.Encoding;

public sealed class PngEncoderTests
{
    // A rectangle in the middle of a frame whose rows are longer than the frame is wide.
    private static readonly PixelRect Inner = new(37, 23, 150, 101);

    private static TestImage Frame()
    {
        var image = new TestImage(300, 200, paddingBytes: 64);
        EncodingImages.Gradient(image, image.Bounds);
        return image;
    }

    [Fact]
    public void Png_TextRectInsideAWiderFrame_DecodesToExactlyTheSourcePixels()
    {
        TestImage image = Frame();
        EncodingImages.Text(image, Inner);
        using var encoder = new PngEncoder();

        DecodedImage.AssertExact(encoder.Encode(image.Bytes, image.Stride, Inner), image, Inner);
    }

    [Fact]
    public void Png_NoiseRectInsideAWiderFrame_DecodesToExactlyTheSourcePixels()
    {
        TestImage image = Frame();
        EncodingImages.Noise(image, Inner);
        using var encoder = new PngEncoder();

        DecodedImage.AssertExact(encoder.Encode(image.Bytes, image.Stride, Inner), image, Inner);
    }

    [Fact]
    public void Png_ReusedEncoder_GivesTheSameBytesAgain()
    {
        TestImage image = Frame();
        EncodingImages.Text(image, Inner);
        using var encoder = new PngEncoder();

        byte[] first = encoder.Encode(image.Bytes, image.Stride, Inner).ToArray();
        encoder.Encode(image.Bytes, image.Stride, image.Bounds);
        byte[] again = encoder.Encode(image.Bytes, image.Stride, Inner).ToArray();

        Assert.Equal(first, again);
    }

    [Fact]
    public void Png_IsOpaqueRgbWithoutAlpha()
    {
        TestImage image = Frame();
        EncodingImages.Text(image, Inner);
        using var encoder = new PngEncoder();

        ReadOnlySpan<byte> png = encoder.Encode(image.Bytes, image.Stride, Inner);

        // IHDR colour type (byte 25): 2 = truecolour RGB, so the X byte is never sent.
        Assert.True(png[..8].SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }));
        Assert.Equal(2, png[25]);
        using SKBitmap bitmap = DecodedImage.Decode(png);
        Assert.Equal(SKAlphaType.Opaque, bitmap.AlphaType);
    }

    [Fact]
    public void Png_RejectsRectReachingPastTheFrameBytes()
    {
        TestImage image = Frame();
        using var encoder = new PngEncoder();

        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode(image.Bytes, image.Stride, new PixelRect(300, 0, 20, 10)));
    }

    [Fact]
    public void Png_EncodeAfterDispose_Throws()
    {
        TestImage image = Frame();
        var encoder = new PngEncoder();
        encoder.Dispose();

        Assert.Throws<ObjectDisposedException>(() => encoder.Encode(image.Bytes, image.Stride, Inner));
    }
}
