using Microsoft.Extensions.Logging.Abstractions;
using WebConsole.Encoding;
using WebConsole.Tests.TestData;

namespace WebConsole.Tests.Encoding;

[Collection(AllocationTestGroup.Name)]
public sealed class EncodingAllocationTests
{
    private const int WarmUp = 5;
    private const int Frames = 40;

    /// <summary>
    /// Bytes this thread allocates over <see cref="Frames"/> calls, the least of three windows: a
    /// per-frame allocation shows in every window, while a one-off refill of a shared pool that a
    /// gen-2 GC elsewhere in the test process has trimmed shows in one at most.
    /// </summary>
    /// <param name="processWide">Count every thread's allocations (the encoder's helper threads), not only this one's.</param>
    private static long SteadyStateAllocations(Action frame, bool processWide = false)
    {
        long least = long.MaxValue;
        for (int window = 0; window < 3 && least != 0; window++)
        {
            long before = processWide ? GC.GetTotalAllocatedBytes(precise: true) : GC.GetAllocatedBytesForCurrentThread();
            for (int round = 0; round < Frames; round++)
            {
                frame();
            }
            long after = processWide ? GC.GetTotalAllocatedBytes(precise: true) : GC.GetAllocatedBytesForCurrentThread();
            least = Math.Min(least, after - before);
        }
        return least;
    }

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
        Assert.Equal(0, SteadyStateAllocations(() => EncodeAll(encoder, frame, held)));
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
        Assert.Equal(0, SteadyStateAllocations(() => encoder.Encode(frame.Image.Bytes, frame.Image.Stride, frame.Rects, update)));
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
        long allocated = SteadyStateAllocations(() => encoder.Encode(image.Bytes, image.Stride, rects, update));

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
        long perFrame = SteadyStateAllocations(() => encoder.Encode(image.Bytes, image.Stride, rects, update), processWide: true) / Frames;

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
        long perFrame = SteadyStateAllocations(() => encoder.Encode(frame.Image.Bytes, frame.Image.Stride, frame.Rects, update), processWide: true) / Frames;

        // Process-wide, so the test host counts too (about 150 KB/s while idle, some 3 KB per
        // frame here). Payloads that missed the pool would be the update's size, about 800 KB.
        Assert.True(perFrame < 16 * 1024, $"{perFrame} bytes allocated per frame; the update holds {update.TotalBytes} bytes.");
    }
}
