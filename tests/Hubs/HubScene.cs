using System.Buffers.Binary;
using WebConsole.Region;

namespace WebConsole.Tests.Hubs;

/// <summary>
/// A 640x360 test screen: flat blocks and a two-colour text-like pattern on the left (lossless
/// encodings), seeded noise on the right (JPEG).
/// </summary>
internal static class HubScene
{
    public const int Width = 640, Height = 360, NoiseFrom = 320;

    /// <summary>A region at <paramref name="path"/> whose first frame, published whole, is the scene.</summary>
    public static RegionWriter CreateRegion(string path)
    {
        var writer = RegionWriter.Create(path, new RegionWriterOptions { Width = Width, Height = Height });
        Assert.True(writer.TryBeginFrame(out Span<byte> pixels));
        Draw(pixels, writer.Stride, new PixelRect(0, 0, Width, Height), Pixel);
        writer.PublishFull();
        return writer;
    }

    public static uint Pixel(int x, int y)
    {
        if (x >= NoiseFrom)
        {
            uint h = (uint)(x * 73856093) ^ (uint)(y * 19349663);
            h ^= h >> 13;
            h *= 0x5bd1e995;
            // Smooth gradient plus mild noise: photo-like, so JPEG is chosen and stays close.
            uint r = (uint)(x - NoiseFrom) * 255 / 320, g = (uint)y * 255 / 360, b = 128 + (h & 31);
            return 0xFF000000u | r << 16 | g << 8 | b;
        }
        if (y < 120)
        {
            return x < 160 ? 0xFF2050A0u : 0xFFE0E0E0u;
        }
        return ((x / 3 + y / 5) & 1) == 0 ? 0xFF101010u : 0xFFF0F0F0u;
    }

    public static void Draw(Span<byte> pixels, int stride, PixelRect area, Func<int, int, uint> pixel)
    {
        for (int y = area.Y; y < area.Bottom; y++)
        {
            for (int x = area.X; x < area.Right; x++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(pixels[(y * stride + x * 4)..], pixel(x, y));
            }
        }
    }
}
