using WebConsole.Encoding;
using WebConsole.Region;
using WebConsole.Tests.TestData;

namespace WebConsole.Tests.Encoding;

public sealed class JpegEncoderTests
{
    private static readonly PixelRect Inner = new(29, 17, 203, 131);

    public static TheoryData<string> Encoders => ["TurboJpeg", "Skia"];

    private static IJpegEncoder Create(string name, int quality = 80) => name switch
    {
        "TurboJpeg" => new TurboJpegEncoder(quality),
        "Skia" => new SkiaJpegEncoder(quality),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static TestImage Frame()
    {
        var image = new TestImage(320, 180, paddingBytes: 20);
        EncodingImages.Noise(image, image.Bounds);
        EncodingImages.Gradient(image, Inner);
        return image;
    }

    [Fact]
    public void TurboJpeg_IsAvailableOnThisMachine()
    {
        // The test command installs libturbojpeg0; without it this is a broken set-up, not a skip.
        Assert.True(TurboJpeg.IsAvailable, $"{TurboJpeg.LibraryName} did not load.");
    }

    [Fact]
    public void Factory_PicksTurboJpegWhenTheLibraryIsInstalled()
    {
        using IJpegEncoder encoder = JpegEncoderFactory.Create(80);

        Assert.IsType<TurboJpegEncoder>(encoder);
    }

    [Theory]
    [MemberData(nameof(Encoders))]
    public void Jpeg_GradientRect_DecodesCloseToTheSource(string name)
    {
        TestImage image = Frame();
        using IJpegEncoder encoder = Create(name);

        ReadOnlySpan<byte> jpeg = encoder.Encode(image.Bytes, image.Stride, Inner);

        Assert.Equal(0xFF, jpeg[0]);
        Assert.Equal(0xD8, jpeg[1]);
        Assert.Equal(0xFF, jpeg[^2]);
        Assert.Equal(0xD9, jpeg[^1]);
        (double r, double g, double b) = DecodedImage.MeanError(jpeg, image, Inner);
        Assert.True(r < 6 && g < 6 && b < 6, $"Mean error R={r:F2} G={g:F2} B={b:F2}");
    }

    [Theory]
    [MemberData(nameof(Encoders))]
    public void Jpeg_KeepsRedAndBlueInPlace(string name)
    {
        // Guards the pixel format: BGRX read as RGBX would turn red into blue.
        var image = new TestImage(64, 64);
        EncodingImages.Flat(image, new PixelRect(0, 0, 32, 64), 255, 0, 0);
        EncodingImages.Flat(image, new PixelRect(32, 0, 32, 64), 0, 0, 255);
        using IJpegEncoder encoder = Create(name);

        using var bitmap = DecodedImage.Decode(encoder.Encode(image.Bytes, image.Stride, image.Bounds));

        Assert.True(bitmap.GetPixel(8, 32).Red > 200 && bitmap.GetPixel(8, 32).Blue < 50, bitmap.GetPixel(8, 32).ToString());
        Assert.True(bitmap.GetPixel(56, 32).Blue > 200 && bitmap.GetPixel(56, 32).Red < 50, bitmap.GetPixel(56, 32).ToString());
    }

    [Theory]
    [MemberData(nameof(Encoders))]
    public void Jpeg_Uses420Subsampling(string name)
    {
        TestImage image = Frame();
        using IJpegEncoder encoder = Create(name);

        ReadOnlySpan<byte> jpeg = encoder.Encode(image.Bytes, image.Stride, Inner);

        // Start of frame: ... height, width, 3 components of (id, HV sampling, table).
        int sof = jpeg.IndexOf(new byte[] { 0xFF, 0xC0 });
        Assert.True(sof > 0, "No baseline SOF0 marker.");
        Assert.Equal(Inner.Height, jpeg[sof + 5] << 8 | jpeg[sof + 6]);
        Assert.Equal(Inner.Width, jpeg[sof + 7] << 8 | jpeg[sof + 8]);
        Assert.Equal(3, jpeg[sof + 9]);
        Assert.Equal(0x22, jpeg[sof + 11]);
        Assert.Equal(0x11, jpeg[sof + 14]);
        Assert.Equal(0x11, jpeg[sof + 17]);
    }

    [Theory]
    [MemberData(nameof(Encoders))]
    public void Jpeg_LowerQuality_GivesSmallerOutput(string name)
    {
        TestImage image = Frame();
        using IJpegEncoder high = Create(name, 95);
        using IJpegEncoder low = Create(name, 30);

        int highBytes = high.Encode(image.Bytes, image.Stride, Inner).Length;
        int lowBytes = low.Encode(image.Bytes, image.Stride, Inner).Length;

        Assert.True(lowBytes < highBytes, $"quality 30: {lowBytes} bytes, quality 95: {highBytes} bytes");
    }

    [Theory]
    [MemberData(nameof(Encoders))]
    public void Jpeg_OddSizedRects_Encode(string name)
    {
        TestImage image = Frame();
        using IJpegEncoder encoder = Create(name);

        foreach (var rect in new[] { new PixelRect(0, 0, 1, 1), new PixelRect(3, 5, 17, 9), new PixelRect(0, 0, 320, 180) })
        {
            using var bitmap = DecodedImage.Decode(encoder.Encode(image.Bytes, image.Stride, rect));
            Assert.Equal(rect.Width, bitmap.Width);
            Assert.Equal(rect.Height, bitmap.Height);
        }
    }

    [Theory]
    [MemberData(nameof(Encoders))]
    public void Jpeg_RejectsRectReachingPastTheFrameBytes(string name)
    {
        TestImage image = Frame();
        using IJpegEncoder encoder = Create(name);

        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode(image.Bytes, image.Stride, new PixelRect(0, 170, 10, 11)));
    }

    [Theory]
    [MemberData(nameof(Encoders))]
    public void Jpeg_EncodeAfterDispose_Throws(string name)
    {
        TestImage image = Frame();
        IJpegEncoder encoder = Create(name);
        encoder.Dispose();
        encoder.Dispose();

        Assert.Throws<ObjectDisposedException>(() => encoder.Encode(image.Bytes, image.Stride, Inner));
    }

    [Fact]
    public void TurboJpeg_RejectsQualityOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TurboJpegEncoder(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TurboJpegEncoder(101));
    }
}
