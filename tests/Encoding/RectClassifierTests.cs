using System.Runtime.InteropServices;
using WebConsole.Encoding;
using WebConsole.Region;
using WebConsole.Tests.TestData;

namespace WebConsole.Tests.Encoding;

public sealed class RectClassifierTests
{
    private static readonly PixelRect Inner = new(40, 24, 128, 96);

    private static TestImage NoisyFrame()
    {
        // Noise around the rectangle, so a classifier that strays outside it gets the wrong answer.
        var image = new TestImage(256, 160, paddingBytes: 36);
        EncodingImages.Noise(image, image.Bounds);
        return image;
    }

    [Fact]
    public void Classify_FlatRect_IsSolidWithItsColour()
    {
        TestImage image = NoisyFrame();
        EncodingImages.Flat(image, Inner, 0x12, 0x34, 0x56);

        RectKind kind = RectClassifier.Classify(image.Bytes, image.Stride, Inner, out uint rgb);

        Assert.Equal(RectKind.Solid, kind);
        Assert.Equal(0x123456u, rgb);
    }

    [Fact]
    public void Classify_IgnoresTheXByte()
    {
        TestImage image = NoisyFrame();
        // Flat writes a different random X into every pixel.
        EncodingImages.Flat(image, Inner, 200, 100, 50, seed: 99);

        Assert.Equal(RectKind.Solid, RectClassifier.Classify(image.Bytes, image.Stride, Inner, out _));
    }

    [Fact]
    public void Classify_OnePixelOff_IsNotSolid()
    {
        TestImage image = NoisyFrame();
        EncodingImages.Flat(image, Inner, 10, 10, 10);
        image.Set(Inner.Right - 1, Inner.Bottom - 1, 10, 10, 11);

        Assert.Equal(RectKind.Png, RectClassifier.Classify(image.Bytes, image.Stride, Inner, out uint rgb));
        Assert.Equal(0u, rgb);
    }

    [Fact]
    public void Classify_TwoColourText_IsPng()
    {
        TestImage image = NoisyFrame();
        EncodingImages.Text(image, Inner);

        Assert.Equal(RectKind.Png, RectClassifier.Classify(image.Bytes, image.Stride, Inner, out _));
    }

    [Fact]
    public void Classify_Noise_IsJpeg()
    {
        TestImage image = NoisyFrame();

        Assert.Equal(RectKind.Jpeg, RectClassifier.Classify(image.Bytes, image.Stride, Inner, out _));
    }

    [Fact]
    public void Classify_Gradient_IsJpeg()
    {
        TestImage image = NoisyFrame();
        EncodingImages.Gradient(image, Inner);

        Assert.Equal(RectKind.Jpeg, RectClassifier.Classify(image.Bytes, image.Stride, Inner, out _));
    }

    [Fact]
    public void Classify_ExactlyMaxColours_IsPng()
    {
        TestImage image = NoisyFrame();
        EncodingImages.Palette(image, Inner, RectClassifier.MaxPngColours);

        Assert.Equal(RectKind.Png, RectClassifier.Classify(image.Bytes, image.Stride, Inner, out _));
    }

    [Fact]
    public void Classify_OneColourPastTheLimit_IsJpeg()
    {
        TestImage image = NoisyFrame();
        EncodingImages.Palette(image, Inner, RectClassifier.MaxPngColours + 1);

        Assert.Equal(RectKind.Jpeg, RectClassifier.Classify(image.Bytes, image.Stride, Inner, out _));
    }

    [Fact]
    public void Classify_SmallRectWithManyColours_IsPng()
    {
        TestImage image = NoisyFrame();
        var small = new PixelRect(3, 5, 31, 32);
        Assert.True(small.Area < RectClassifier.MinJpegPixels);

        Assert.Equal(RectKind.Png, RectClassifier.Classify(image.Bytes, image.Stride, small, out _));
    }

    [Fact]
    public void Classify_SolidRowsAboveText_StillCountsTheirColour()
    {
        // The uniform-row prefix is skipped by the colour count; its colour must still be in it.
        TestImage image = NoisyFrame();
        EncodingImages.Flat(image, Inner with { Height = 40 }, 1, 2, 3);
        EncodingImages.Palette(image, Inner with { Y = Inner.Y + 40, Height = Inner.Height - 40 }, RectClassifier.MaxPngColours);

        Assert.Equal(RectKind.Jpeg, RectClassifier.Classify(image.Bytes, image.Stride, Inner, out _));
    }

    [Fact]
    public void Classify_SinglePixel_IsSolid()
    {
        TestImage image = NoisyFrame();
        (byte r, byte g, byte b) = image.Get(7, 9);

        Assert.Equal(RectKind.Solid, RectClassifier.Classify(image.Bytes, image.Stride, new PixelRect(7, 9, 1, 1), out uint rgb));
        Assert.Equal((uint)(r << 16 | g << 8 | b), rgb);
    }

    // The classifier knows the stride, not the width: "outside" means past the row's bytes.
    [Theory]
    [InlineData(-1, 0, 10, 10)]
    [InlineData(0, -1, 10, 10)]
    [InlineData(260, 0, 6, 10)]
    [InlineData(0, 155, 10, 6)]
    [InlineData(0, 0, 0, 10)]
    [InlineData(0, 0, 10, 0)]
    public void Classify_RejectsRectReachingPastTheFrameBytes(int x, int y, int width, int height)
    {
        TestImage image = NoisyFrame();

        Assert.Throws<ArgumentOutOfRangeException>(() => RectClassifier.Classify(image.Bytes, image.Stride, new PixelRect(x, y, width, height), out _));
    }

    [Fact]
    public void Classify_LastRowEndingAtTheFrameEnd_IsAccepted()
    {
        // The last row of a frame needs only width * 4 bytes, not a whole stride.
        var image = new TestImage(64, 8, paddingBytes: 32);
        byte[] trimmed = image.Bytes.AsSpan(0, image.Stride * 7 + 64 * 4).ToArray();

        Assert.Equal(RectKind.Solid, RectClassifier.Classify(trimmed, image.Stride, image.Bounds, out _));
    }

    public static TheoryData<string> Paths => ["Vector256", "Vector128", "Scalar", "Dispatch"];

    private static bool RowIsUniform(string path, ReadOnlySpan<uint> row, uint rgb) => path switch
    {
        "Vector256" => RectClassifier.RowIsUniformVector256(row, rgb),
        "Vector128" => RectClassifier.RowIsUniformVector128(row, rgb),
        "Scalar" => RectClassifier.RowIsUniformScalar(row, rgb),
        "Dispatch" => RectClassifier.RowIsUniform(row, rgb),
        _ => throw new ArgumentOutOfRangeException(nameof(path)),
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void RowIsUniform_EveryPathAgreesWithAPlainLoop(string path)
    {
        var random = new Random(5);
        for (int length = 0; length <= 70; length++)
        {
            for (int trial = 0; trial < 20; trial++)
            {
                uint rgb = (uint)random.Next(1 << 24);
                var row = new uint[length];
                for (int i = 0; i < length; i++)
                {
                    row[i] = rgb | (uint)random.Next(256) << 24;
                }
                if (length > 0 && trial % 2 == 1)
                {
                    // Flip one colour bit of one pixel, anywhere including the scalar tail.
                    row[random.Next(length)] ^= 1u << random.Next(24);
                }
                bool expected = true;
                foreach (uint pixel in row)
                {
                    expected &= (pixel & 0xFFFFFF) == rgb;
                }

                Assert.Equal(expected, RowIsUniform(path, row, rgb));
            }
        }
    }

    [Fact]
    public void RowIsUniform_ReadsUnalignedRows()
    {
        // Rows start at x * 4 bytes into a byte[]: any 4-byte offset, never 32-byte aligned.
        var bytes = new byte[4 * 41];
        ReadOnlySpan<uint> row = MemoryMarshal.Cast<byte, uint>(bytes.AsSpan(4, 4 * 40));

        Assert.True(RectClassifier.RowIsUniform(row, 0));
    }
}
