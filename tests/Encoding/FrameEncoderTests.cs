using Microsoft.Extensions.Logging.Abstractions;
using WebConsole.Encoding;
using WebConsole.Region;

namespace WebConsole.Tests.Encoding;

public sealed class FrameEncoderTests
{
    private static FrameEncoder Create(int workers) => new(NullLogger<FrameEncoder>.Instance, workerCount: workers);

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(0)]
    public void Encode_MixedRects_KeepsOrderAndKinds(int workers)
    {
        var frame = new MixedFrame();
        using FrameEncoder encoder = Create(workers);
        using var update = new EncodedUpdate();

        encoder.Encode(frame.Image.Bytes, frame.Image.Stride, frame.Rects, update);

        Assert.Equal(frame.Rects.Count, update.Count);
        for (int i = 0; i < update.Count; i++)
        {
            EncodedRect e = update[i];
            Assert.Equal(frame.Rects[i], e.Rect);
            Assert.Equal(frame.Kinds[i], e.Kind);
            if (e.Kind == RectKind.Solid)
            {
                (byte r, byte g, byte b) = frame.Image.Get(e.Rect.X, e.Rect.Y);
                Assert.Equal(new byte[] { r, g, b }, e.Data.ToArray());
            }
            else if (e.Kind == RectKind.Png)
            {
                DecodedImage.AssertExact(e.Data.Span, frame.Image, e.Rect);
            }
            else
            {
                using var bitmap = DecodedImage.Decode(e.Data.Span);
                Assert.Equal(e.Rect.Width, bitmap.Width);
                Assert.Equal(e.Rect.Height, bitmap.Height);
            }
        }
    }

    [Fact]
    public void Encode_ManyWorkers_GiveTheSameBytesAsOne()
    {
        var frame = new MixedFrame();
        using FrameEncoder serial = Create(1);
        using FrameEncoder parallel = Create(4);
        using var expected = new EncodedUpdate();
        using var actual = new EncodedUpdate();

        serial.Encode(frame.Image.Bytes, frame.Image.Stride, frame.Rects, expected);
        parallel.Encode(frame.Image.Bytes, frame.Image.Stride, frame.Rects, actual);

        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].Data.Span.SequenceEqual(actual[i].Data.Span), $"Rect {i} differs.");
        }
    }

    [Fact]
    public void Encode_ReusedUpdate_HoldsOnlyTheLatestFrame()
    {
        var frame = new MixedFrame();
        using FrameEncoder encoder = Create(4);
        using var update = new EncodedUpdate();

        encoder.Encode(frame.Image.Bytes, frame.Image.Stride, frame.Rects, update);
        var one = new[] { new PixelRect(0, 0, 256, 128) };
        encoder.Encode(frame.Image.Bytes, frame.Image.Stride, one, update);

        Assert.Equal(1, update.Count);
        Assert.Equal(one[0], update[0].Rect);
    }

    [Fact]
    public void Encode_NoRects_GivesAnEmptyUpdate()
    {
        var frame = new MixedFrame();
        using FrameEncoder encoder = Create(4);
        using var update = new EncodedUpdate();

        encoder.Encode(frame.Image.Bytes, frame.Image.Stride, [], update);

        Assert.Equal(0, update.Count);
        Assert.Equal(0, update.TotalBytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Encode_RectOutsideTheFrame_ThrowsAndLeavesTheUpdateEmpty(int workers)
    {
        var frame = new MixedFrame();
        var rects = new List<PixelRect>(frame.Rects) { new(1000, 700, 100, 100) };
        using FrameEncoder encoder = Create(workers);
        using var update = new EncodedUpdate();

        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode(frame.Image.Bytes, frame.Image.Stride, rects, update));
        Assert.Equal(0, update.Count);

        // Still usable afterwards: the helpers went back to waiting.
        encoder.Encode(frame.Image.Bytes, frame.Image.Stride, frame.Rects, update);
        Assert.Equal(frame.Rects.Count, update.Count);
    }

    [Fact]
    public void Encode_AfterDispose_Throws()
    {
        var frame = new MixedFrame();
        FrameEncoder encoder = Create(4);
        using var update = new EncodedUpdate();
        encoder.Encode(frame.Image.Bytes, frame.Image.Stride, frame.Rects, update);

        encoder.Dispose();
        encoder.Dispose();

        Assert.Throws<ObjectDisposedException>(() => encoder.Encode(frame.Image.Bytes, frame.Image.Stride, frame.Rects, update));
    }

    [Fact]
    public void FrameEncoder_DefaultsToOneWorkerPerCore()
    {
        using var encoder = new FrameEncoder(NullLogger<FrameEncoder>.Instance);

        Assert.Equal(Environment.ProcessorCount, encoder.WorkerCount);
        Assert.Equal(FrameEncoder.DefaultJpegQuality, encoder.JpegQuality);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void FrameEncoder_RejectsJpegQualityOutOfRange(int quality)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameEncoder(NullLogger<FrameEncoder>.Instance, quality));
    }

    [Fact]
    public void SkiaJpeg_FallbackPath_ProducesAValidJpeg()
    {
        var frame = new MixedFrame();
        var rect = new PixelRect(512, 0, 256, 128);
        using var encoder = new SkiaJpegEncoder(80);

        ReadOnlySpan<byte> jpeg = encoder.Encode(frame.Image.Bytes, frame.Image.Stride, rect);

        Assert.Equal(0xFF, jpeg[0]);
        Assert.Equal(0xD8, jpeg[1]);
        (double r, double g, double b) = DecodedImage.MeanError(jpeg, frame.Image, rect);
        Assert.True(r < 6 && g < 6 && b < 6, $"Mean error R={r:F2} G={g:F2} B={b:F2}");
    }
}
