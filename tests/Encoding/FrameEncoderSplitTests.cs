using Microsoft.Extensions.Logging.Abstractions;
using WebConsole.Encoding;
using WebConsole.Region;
using WebConsole.Tests.TestData;

namespace WebConsole.Tests.Encoding;

/// <summary>How <see cref="FrameEncoder"/> cuts a rectangle into parts of one kind before encoding it.</summary>
public sealed class FrameEncoderSplitTests
{
    private static FrameEncoder Create(int workers) => new(NullLogger<FrameEncoder>.Instance, workerCount: workers);

    private static EncodedUpdate Encode(TestImage image, IReadOnlyList<PixelRect> rects, int workers = 1)
    {
        using FrameEncoder encoder = Create(workers);
        var update = new EncodedUpdate();
        encoder.Encode(image.Bytes, image.Stride, rects, update);
        return update;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Encode_TextBesidePhoto_SendsTheTextLosslessAndThePhotoAsJpeg(int workers)
    {
        (TestImage image, PixelRect rect) = SplitScenes.TextBesidePhoto();

        using EncodedUpdate update = Encode(image, [rect], workers);

        Assert.Equal(
            [
                new PixelRect(rect.X, rect.Y, 128, 128),
                new PixelRect(rect.X + 128, rect.Y, 128, 128),
                new PixelRect(rect.X + 256, rect.Y, 256, 128),
            ],
            update.Rects.ToArray().Select(e => e.Rect));
        Assert.Equal([RectKind.Solid, RectKind.Png, RectKind.Jpeg], update.Rects.ToArray().Select(e => e.Kind));
        // The flat area arrives as exactly its colour, the text as exactly its pixels.
        Assert.Equal(new byte[] { SplitScenes.Blue.R, SplitScenes.Blue.G, SplitScenes.Blue.B }, update[0].Data.ToArray());
        EncodedParts.AssertSolid(image, update[0]);
        DecodedImage.AssertExact(update[1].Data.Span, image, update[1].Rect);
        EncodedParts.AssertCoverExactlyOnce(image, [rect], update);
        EncodedParts.AssertMatchSource(image, update);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 1)]
    [InlineData(4, 2)]
    [InlineData(5, 4)]
    public void Encode_RandomMixtures_CoverEachRectExactlyOnceWithFaithfulParts(int seed, int workers)
    {
        (TestImage image, List<PixelRect> rects) = SplitScenes.RandomMixture(seed);

        using EncodedUpdate update = Encode(image, rects, workers);

        EncodedParts.AssertCoverExactlyOnce(image, rects, update);
        EncodedParts.AssertMatchSource(image, update);
        // The scenes are meant to split: more parts than rects, and every kind present.
        Assert.True(update.Count > rects.Count, $"{update.Count} parts for {rects.Count} rects.");
        foreach (RectKind kind in Enum.GetValues<RectKind>())
        {
            Assert.Contains(update.Rects.ToArray(), e => e.Kind == kind);
        }
    }

    [Theory]
    [InlineData(6)]
    [InlineData(7)]
    public void Encode_RandomMixtures_ManyWorkersGiveTheSamePartsAsOne(int seed)
    {
        (TestImage image, List<PixelRect> rects) = SplitScenes.RandomMixture(seed);

        using EncodedUpdate serial = Encode(image, rects, workers: 1);
        using EncodedUpdate parallel = Encode(image, rects, workers: 4);

        EncodedParts.AssertSame(serial, parallel);
    }

    [Theory]
    [InlineData(512, 512)]
    [InlineData(300, 200)]
    [InlineData(64, 64)]
    [InlineData(20, 10)]
    public void Encode_UniformRect_StaysOneSolidRect(int width, int height)
    {
        var image = new TestImage(600, 600, paddingBytes: 12);
        EncodingImages.Noise(image, image.Bounds);
        var rect = new PixelRect(17, 33, width, height);
        EncodingImages.Flat(image, rect, 0x12, 0x34, 0x56);

        using EncodedUpdate update = Encode(image, [rect], workers: 4);

        EncodedRect only = Assert.Single(update.Rects.ToArray());
        Assert.Equal(rect, only.Rect);
        Assert.Equal(new byte[] { 0x12, 0x34, 0x56 }, only.Data.ToArray());
    }

    [Theory]
    [InlineData(RectKind.Png)]
    [InlineData(RectKind.Jpeg)]
    public void Encode_RectOfOneContent_StaysOneRect(RectKind kind)
    {
        var image = new TestImage(600, 600);
        var rect = new PixelRect(5, 9, 512, 500);
        if (kind == RectKind.Png)
        {
            EncodingImages.Text(image, rect);
        }
        else
        {
            EncodingImages.Noise(image, rect);
        }

        using EncodedUpdate update = Encode(image, [rect], workers: 4);

        EncodedRect only = Assert.Single(update.Rects.ToArray());
        Assert.Equal(rect, only.Rect);
        Assert.Equal(kind, only.Kind);
    }

    [Fact]
    public void Encode_AdjacentSolidTilesOfDifferentColours_AreSeparateRectsWithTheirOwnColours()
    {
        // Tiles, 3 across and 2 down: A A B / C C B.
        var image = new TestImage(256, 160);
        var rect = new PixelRect(10, 6, 192, 128);
        EncodingImages.Flat(image, new PixelRect(10, 6, 128, 64), 0xA0, 0, 0);
        EncodingImages.Flat(image, new PixelRect(138, 6, 64, 128), 0, 0xB0, 0);
        EncodingImages.Flat(image, new PixelRect(10, 70, 128, 64), 0, 0, 0xC0);

        using EncodedUpdate update = Encode(image, [rect]);

        Assert.Equal(
            [new PixelRect(10, 6, 128, 64), new PixelRect(138, 6, 64, 128), new PixelRect(10, 70, 128, 64)],
            update.Rects.ToArray().Select(e => e.Rect));
        Assert.Equal(new byte[] { 0xA0, 0, 0 }, update[0].Data.ToArray());
        Assert.Equal(new byte[] { 0, 0xB0, 0 }, update[1].Data.ToArray());
        Assert.Equal(new byte[] { 0, 0, 0xC0 }, update[2].Data.ToArray());
        foreach (EncodedRect part in update.Rects)
        {
            EncodedParts.AssertSolid(image, part);
        }
    }

    [Fact]
    public void Encode_PngTilesWithTooManyColoursTogether_StayOneLosslessPng()
    {
        // Each tile alone has few enough colours for PNG; the two together have more than the limit.
        var image = new TestImage(128, 64);
        int colours = RectClassifier.MaxPngColours - 10;
        EncodingImages.Palette(image, new PixelRect(0, 0, 64, 64), colours);
        EncodingImages.Palette(image, new PixelRect(64, 0, 64, 64), colours, first: colours);
        Assert.Equal(RectKind.Jpeg, RectClassifier.Classify(image.Bytes, image.Stride, image.Bounds, out _));

        using EncodedUpdate update = Encode(image, [image.Bounds]);

        EncodedRect only = Assert.Single(update.Rects.ToArray());
        Assert.Equal(RectKind.Png, only.Kind);
        DecodedImage.AssertExact(only.Data.Span, image, image.Bounds);
    }

    [Fact]
    public void Encode_ThinNoisyStrip_IsOneJpegThoughEachTileIsTooSmallForJpeg()
    {
        // 64x8 tiles are below the JPEG minimum on their own; the strip they make is not.
        var image = new TestImage(512, 8);
        EncodingImages.Noise(image, image.Bounds);

        using EncodedUpdate update = Encode(image, [image.Bounds]);

        EncodedRect only = Assert.Single(update.Rects.ToArray());
        Assert.Equal(RectKind.Jpeg, only.Kind);
    }

    [Fact]
    public void Encode_SmallNoisyPartBesideText_IsPng()
    {
        // A 16x16 noisy corner is JPEG content but too small a part for JPEG.
        var image = new TestImage(80, 64);
        EncodingImages.Text(image, new PixelRect(0, 0, 64, 64));
        EncodingImages.Noise(image, new PixelRect(64, 0, 16, 64));
        var rect = new PixelRect(0, 48, 80, 16);

        using EncodedUpdate update = Encode(image, [rect]);

        Assert.Equal(2, update.Count);
        Assert.Equal(new PixelRect(64, 48, 16, 16), update[1].Rect);
        Assert.Equal(RectKind.Png, update[1].Kind);
        EncodedParts.AssertMatchSource(image, update);
    }
}
