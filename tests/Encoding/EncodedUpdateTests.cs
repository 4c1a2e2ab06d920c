using System.Buffers;
using WebConsole.Encoding;
using WebConsole.Region;

namespace WebConsole.Tests.Encoding;

public sealed class EncodedUpdateTests
{
    [Fact]
    public void Clear_EmptiesTheUpdate()
    {
        using var update = new EncodedUpdate();
        update.Prepare(2);
        update.Set(0, new EncodedRect(new PixelRect(0, 0, 1, 1), RectKind.Solid, ArrayPool<byte>.Shared.Rent(3), 3));
        update.Set(1, new EncodedRect(new PixelRect(1, 0, 1, 1), RectKind.Png, ArrayPool<byte>.Shared.Rent(100), 57));

        Assert.Equal(2, update.Count);
        Assert.Equal(60, update.TotalBytes);
        update.Clear();

        Assert.Equal(0, update.Count);
        Assert.True(update.Rects.IsEmpty);
    }

    [Fact]
    public void CountKinds_CountsSolidPngAndJpegRectangles()
    {
        using var update = new EncodedUpdate();
        update.Prepare(4);
        update.Set(0, new EncodedRect(new PixelRect(0, 0, 1, 1), RectKind.Jpeg, ArrayPool<byte>.Shared.Rent(10), 10));
        update.Set(1, new EncodedRect(new PixelRect(1, 0, 1, 1), RectKind.Solid, ArrayPool<byte>.Shared.Rent(3), 3));
        update.Set(2, new EncodedRect(new PixelRect(2, 0, 1, 1), RectKind.Jpeg, ArrayPool<byte>.Shared.Rent(10), 10));
        update.Set(3, new EncodedRect(new PixelRect(3, 0, 1, 1), RectKind.Png, ArrayPool<byte>.Shared.Rent(10), 10));

        Assert.Equal((1, 1, 2), update.CountKinds());
    }

    [Fact]
    public void Clear_SkipsSlotsAFailedEncodeNeverFilled()
    {
        using var update = new EncodedUpdate();
        update.Prepare(3);
        update.Set(1, new EncodedRect(new PixelRect(0, 0, 1, 1), RectKind.Solid, ArrayPool<byte>.Shared.Rent(3), 3));

        update.Clear();

        Assert.Equal(0, update.Count);
    }

    [Fact]
    public void Dispose_Twice_IsHarmless()
    {
        var update = new EncodedUpdate();
        update.Prepare(1);
        update.Set(0, new EncodedRect(new PixelRect(0, 0, 1, 1), RectKind.Solid, ArrayPool<byte>.Shared.Rent(3), 3));

        update.Dispose();
        update.Dispose();

        Assert.Equal(0, update.Count);
    }

    [Fact]
    public void Indexer_RejectsIndexPastCount()
    {
        using var update = new EncodedUpdate();
        update.Prepare(1);

        Assert.Throws<ArgumentOutOfRangeException>(() => update[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => update[-1]);
    }
}
