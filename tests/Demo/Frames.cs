using System.Buffers.Binary;
using WebConsole.Region;

namespace WebConsole.Tests.Demo;

/// <summary>Pixel helpers for XRGB8888 buffers.</summary>
internal static class Frames
{
    public static uint Pixel(ReadOnlySpan<byte> frame, int stride, int x, int y) =>
        BinaryPrimitives.ReadUInt32LittleEndian(frame[(y * stride + x * 4)..]);

    public static bool Inside(PixelRect r, int x, int y) => x >= r.X && x < r.Right && y >= r.Y && y < r.Bottom;

    public static bool InsideAny(ReadOnlySpan<PixelRect> rects, int x, int y)
    {
        foreach (PixelRect r in rects)
        {
            if (Inside(r, x, y))
            {
                return true;
            }
        }
        return false;
    }

    public static bool Overlaps(PixelRect a, PixelRect b) =>
        a.X < b.Right && b.X < a.Right && a.Y < b.Bottom && b.Y < a.Bottom;

    /// <summary>The first pixel of <paramref name="area"/> that differs between two frames, or null.</summary>
    public static (int X, int Y)? FirstDifference(ReadOnlySpan<byte> a, int strideA, ReadOnlySpan<byte> b, int strideB, PixelRect area)
    {
        for (int y = area.Y; y < area.Bottom; y++)
        {
            ReadOnlySpan<byte> rowA = a.Slice(y * strideA + area.X * 4, area.Width * 4);
            ReadOnlySpan<byte> rowB = b.Slice(y * strideB + area.X * 4, area.Width * 4);
            int at = rowA.CommonPrefixLength(rowB);
            if (at < rowA.Length)
            {
                return (area.X + at / 4, y);
            }
        }
        return null;
    }
}
