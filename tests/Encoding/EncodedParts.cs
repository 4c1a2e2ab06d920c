using WebConsole.Encoding;
using WebConsole.Region;
using WebConsole.Tests.TestData;

namespace WebConsole.Tests.Encoding;

/// <summary>Checks on the parts an update splits its rectangles into.</summary>
internal static class EncodedParts
{
    /// <summary>
    /// The parts cover every pixel of the (non-overlapping) <paramref name="rects"/> exactly once
    /// and nothing else, each part lies inside one rectangle, and parts come in the order of
    /// <paramref name="rects"/>, then by top edge, then by left edge.
    /// </summary>
    public static void AssertCoverExactlyOnce(TestImage image, IReadOnlyList<PixelRect> rects, EncodedUpdate update)
    {
        var expected = new int[image.Width * image.Height];
        foreach (PixelRect rect in rects)
        {
            Fill(expected, image.Width, rect);
        }
        var actual = new int[expected.Length];
        int owner = -1;
        PixelRect previous = default;
        foreach (EncodedRect part in update.Rects)
        {
            Assert.False(part.Rect.IsEmpty, $"Empty part {part.Rect}.");
            int inside = Owner(rects, part.Rect);
            Assert.True(inside >= owner, $"Part {part.Rect} of rect {inside} comes after a part of rect {owner}.");
            if (inside == owner)
            {
                bool after = part.Rect.Y > previous.Y || (part.Rect.Y == previous.Y && part.Rect.X > previous.X);
                Assert.True(after, $"Part {part.Rect} comes after {previous} of the same rect.");
            }
            owner = inside;
            previous = part.Rect;
            Fill(actual, image.Width, part.Rect);
        }
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i])
            {
                Assert.Fail($"Pixel ({i % image.Width},{i / image.Width}) is covered {actual[i]} times, not {expected[i]}.");
            }
        }
    }

    /// <summary>
    /// Solid and PNG parts reproduce the source exactly; JPEG parts decode to their size, are big
    /// enough for JPEG, and hold no tile that would have been lossless on its own.
    /// </summary>
    public static void AssertMatchSource(TestImage image, EncodedUpdate update)
    {
        foreach (EncodedRect part in update.Rects)
        {
            switch (part.Kind)
            {
                case RectKind.Solid:
                    AssertSolid(image, part);
                    break;
                case RectKind.Png:
                    DecodedImage.AssertExact(part.Data.Span, image, part.Rect);
                    break;
                default:
                    Assert.True(part.Rect.Area >= RectClassifier.MinJpegPixels, $"JPEG part {part.Rect} is too small.");
                    using (var bitmap = DecodedImage.Decode(part.Data.Span))
                    {
                        Assert.Equal(part.Rect.Width, bitmap.Width);
                        Assert.Equal(part.Rect.Height, bitmap.Height);
                    }
                    AssertOnlyJpegTiles(image, part.Rect);
                    break;
            }
        }
    }

    /// <summary>Every part: rectangle, kind and payload bytes.</summary>
    public static void AssertSame(EncodedUpdate expected, EncodedUpdate actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Rect, actual[i].Rect);
            Assert.Equal(expected[i].Kind, actual[i].Kind);
            Assert.True(expected[i].Data.Span.SequenceEqual(actual[i].Data.Span), $"Part {i} differs.");
        }
    }

    public static void AssertSolid(TestImage image, EncodedRect part)
    {
        Assert.Equal(RectKind.Solid, part.Kind);
        Assert.Equal(3, part.Length);
        byte[] rgb = part.Data.ToArray();
        for (int y = part.Rect.Y; y < part.Rect.Bottom; y++)
        {
            for (int x = part.Rect.X; x < part.Rect.Right; x++)
            {
                (byte r, byte g, byte b) = image.Get(x, y);
                if (r != rgb[0] || g != rgb[1] || b != rgb[2])
                {
                    Assert.Fail($"Pixel ({x},{y}) is R={r} G={g} B={b} in a solid part of R={rgb[0]} G={rgb[1]} B={rgb[2]}.");
                }
            }
        }
    }

    // Parts are unions of tiles aligned to their rectangle, so tiles aligned to a part are the same tiles.
    private static void AssertOnlyJpegTiles(TestImage image, PixelRect part)
    {
        for (int y = part.Y; y < part.Bottom; y += 64)
        {
            for (int x = part.X; x < part.Right; x += 64)
            {
                var tile = new PixelRect(x, y, Math.Min(64, part.Right - x), Math.Min(64, part.Bottom - y));
                RectKind kind = RectClassifier.ClassifyContent(image.Bytes, image.Stride, tile, out _);
                Assert.True(kind == RectKind.Jpeg, $"Tile {tile} of JPEG part {part} is {kind} on its own.");
            }
        }
    }

    private static int Owner(IReadOnlyList<PixelRect> rects, PixelRect part)
    {
        for (int i = 0; i < rects.Count; i++)
        {
            PixelRect r = rects[i];
            if (part.X >= r.X && part.Y >= r.Y && part.Right <= r.Right && part.Bottom <= r.Bottom)
            {
                return i;
            }
        }
        Assert.Fail($"Part {part} lies inside no rectangle.");
        return -1;
    }

    private static void Fill(int[] map, int width, PixelRect rect)
    {
        for (int y = rect.Y; y < rect.Bottom; y++)
        {
            for (int x = rect.X; x < rect.Right; x++)
            {
                map[y * width + x]++;
            }
        }
    }
}
