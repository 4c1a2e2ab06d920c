using Microsoft.Extensions.Logging.Abstractions;
using WebConsole.Encoding;
using WebConsole.Tests.TestData;

namespace WebConsole.Tests.Encoding;

[Collection(AllocationTestGroup.Name)]
public sealed class EncodingAllocationTests
{
    private const int WarmUp = 5;
    private const int Frames = 40;

    [Fact]
    public void RectEncoder_SteadyState_AllocatesNothingPerRect()
    {
        var frame = new MixedFrame();
        using var encoder = new RectEncoder();
        var held = new EncodedRect[frame.Rects.Count];

        for (int round = 0; round < WarmUp; round++)
        {
            EncodeAll(encoder, frame, held);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < Frames; round++)
        {
            EncodeAll(encoder, frame, held);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    private static void EncodeAll(RectEncoder encoder, MixedFrame frame, EncodedRect[] held)
    {
        for (int i = 0; i < held.Length; i++)
        {
            held[i] = encoder.Encode(frame.Image.Bytes, frame.Image.Stride, frame.Rects[i]);
        }
        for (int i = 0; i < held.Length; i++)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(held[i].Buffer);
        }
    }

    [Fact]
    public void PngAndSkiaJpeg_FreshEncoder_OutputBufferGrowsOnlyAsNeeded()
    {
        // Output buffers double only when full; a fresh encoder rents a few small arrays, not gigabytes.
        var frame = new MixedFrame();
        var rect = new WebConsole.Region.PixelRect(0, 0, 1024, 768);

        long before = GC.GetAllocatedBytesForCurrentThread();
        using (var png = new PngEncoder())
        {
            png.Encode(frame.Image.Bytes, frame.Image.Stride, rect);
        }
        using (var jpeg = new SkiaJpegEncoder())
        {
            jpeg.Encode(frame.Image.Bytes, frame.Image.Stride, rect);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 16 * 1024 * 1024, $"{allocated:N0} bytes allocated.");
    }

    [Fact]
    public void FrameEncoder_OneWorker_SteadyState_AllocatesNothingPerFrame()
    {
        var frame = new MixedFrame();
        using var encoder = new FrameEncoder(NullLogger<FrameEncoder>.Instance, workerCount: 1);
        using var update = new EncodedUpdate();

        for (int round = 0; round < WarmUp; round++)
        {
            encoder.Encode(frame.Image.Bytes, frame.Image.Stride, frame.Rects, update);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < Frames; round++)
        {
            encoder.Encode(frame.Image.Bytes, frame.Image.Stride, frame.Rects, update);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void FrameEncoder_OneWorker_SplitRects_SteadyState_AllocatesNothingPerFrame()
    {
        // Rectangles that split into many parts of every kind: the tile and part lists are reused.
        (TestImage image, List<WebConsole.Region.PixelRect> rects) = SplitScenes.RandomMixture(seed: 8);
        using var encoder = new FrameEncoder(NullLogger<FrameEncoder>.Instance, workerCount: 1);
        using var update = new EncodedUpdate();

        for (int round = 0; round < WarmUp; round++)
        {
            encoder.Encode(image.Bytes, image.Stride, rects, update);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < Frames; round++)
        {
            encoder.Encode(image.Bytes, image.Stride, rects, update);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(update.Count > rects.Count, $"{update.Count} parts for {rects.Count} rects: the scene did not split.");
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void FrameEncoder_ManyWorkers_SplitRects_SteadyState_AllocatesAlmostNothingPerFrame()
    {
        (TestImage image, List<WebConsole.Region.PixelRect> rects) = SplitScenes.RandomMixture(seed: 8);
        using var encoder = new FrameEncoder(NullLogger<FrameEncoder>.Instance, workerCount: 4);
        using var update = new EncodedUpdate();

        for (int round = 0; round < WarmUp; round++)
        {
            encoder.Encode(image.Bytes, image.Stride, rects, update);
        }
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int round = 0; round < Frames; round++)
        {
            encoder.Encode(image.Bytes, image.Stride, rects, update);
        }
        long perFrame = (GC.GetTotalAllocatedBytes(precise: true) - before) / Frames;

        // Process-wide, as below: the test host's own few KB per frame, not the update's payloads.
        Assert.True(perFrame < 16 * 1024, $"{perFrame} bytes allocated per frame; the update holds {update.TotalBytes} bytes.");
    }

    [Fact]
    public void FrameEncoder_ManyWorkers_SteadyState_AllocatesAlmostNothingPerFrame()
    {
        var frame = new MixedFrame();
        using var encoder = new FrameEncoder(NullLogger<FrameEncoder>.Instance, workerCount: 4);
        using var update = new EncodedUpdate();

        for (int round = 0; round < WarmUp; round++)
        {
            encoder.Encode(frame.Image.Bytes, frame.Image.Stride, frame.Rects, update);
        }
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int round = 0; round < Frames; round++)
        {
            encoder.Encode(frame.Image.Bytes, frame.Image.Stride, frame.Rects, update);
        }
        long perFrame = (GC.GetTotalAllocatedBytes(precise: true) - before) / Frames;

        // Process-wide, so the test host counts too (about 150 KB/s while idle, some 3 KB per
        // frame here). Payloads that missed the pool would be the update's size, about 800 KB.
        Assert.True(perFrame < 16 * 1024, $"{perFrame} bytes allocated per frame; the update holds {update.TotalBytes} bytes.");
    }
}
