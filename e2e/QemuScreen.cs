using WebConsole.Region;

namespace WebConsole.E2E;

/// <summary>
/// What a guest's screen looks like on the canvas, in the colours of the Linux VGA console
/// (vgacon and fbcon use the same palette: grey text 0xAAAAAA, blue background 0x0000AA).
/// </summary>
internal static class QemuScreen
{
    public static readonly Rgb Black = new(0, 0, 0);
    public static readonly Rgb Grey = new(0xAA, 0xAA, 0xAA);
    public static readonly Rgb Blue = new(0, 0, 0xAA);

    /// <summary>The first text row, "guest# " (7 cells of 9x16 in text mode, 8x16 on a framebuffer).</summary>
    public static readonly PixelRect PromptCells = new(0, 0, 56, 16);

    /// <summary>Pixels of <paramref name="rgba"/> (canvas RGBA bytes) within <paramref name="tolerance"/> of <paramref name="colour"/>.</summary>
    public static int Count(byte[] rgba, Rgb colour, int tolerance = 24)
    {
        int count = 0;
        for (int i = 0; i + 3 < rgba.Length; i += 4)
        {
            if (Math.Abs(rgba[i] - colour.R) <= tolerance && Math.Abs(rgba[i + 1] - colour.G) <= tolerance &&
                Math.Abs(rgba[i + 2] - colour.B) <= tolerance)
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>
    /// The canvas shows what QEMU shows: at most <paramref name="maxDiffering"/> pixels (the
    /// blinking text cursor, caught in another phase) differ by more than a lossy encoding's error.
    /// </summary>
    public static void AssertLike(TestImage expected, byte[] canvas, int maxDiffering = 400)
    {
        Assert.Equal(expected.Rgba.Length, canvas.Length);
        int differing = 0;
        int firstX = -1, firstY = -1;
        for (int i = 0; i < canvas.Length; i += 4)
        {
            if (Math.Abs(canvas[i] - expected.Rgba[i]) > 48 || Math.Abs(canvas[i + 1] - expected.Rgba[i + 1]) > 48 ||
                Math.Abs(canvas[i + 2] - expected.Rgba[i + 2]) > 48)
            {
                if (differing++ == 0)
                {
                    firstX = i / 4 % expected.Width;
                    firstY = i / 4 / expected.Width;
                }
            }
        }
        Assert.True(differing <= maxDiffering,
            $"{differing} of {expected.Width}x{expected.Height} pixels differ from QEMU's screendump; the first at ({firstX},{firstY})");
    }

    /// <summary>The share (0-1) of the pixels that are near <paramref name="colour"/>.</summary>
    public static double Share(byte[] rgba, Rgb colour) => rgba.Length == 0 ? 0 : Count(rgba, colour) / (rgba.Length / 4.0);
}
