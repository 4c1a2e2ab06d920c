namespace WebConsole.Demo;

/// <summary>The classic arrow pointer for the region's cursor plane: black outline, white fill, hotspot at the tip.</summary>
internal static class ArrowCursor
{
    /// <summary>Image width in pixels.</summary>
    public const int Width = 12;

    /// <summary>Image height in pixels.</summary>
    public const int Height = 19;

    /// <summary>Hotspot column: the tip.</summary>
    public const int HotX = 0;

    /// <summary>Hotspot row: the tip.</summary>
    public const int HotY = 0;

    private const uint Outline = 0xFF000000, Fill = 0xFFFFFFFF, Clear = 0x00000000;

    // X outline, o fill, . transparent.
    private const string Shape =
        "X..........." +
        "XX.........." +
        "XoX........." +
        "XooX........" +
        "XoooX......." +
        "XooooX......" +
        "XoooooX....." +
        "XooooooX...." +
        "XoooooooX..." +
        "XooooooooX.." +
        "XoooooooooX." +
        "XooooooXXXXX" +
        "XoooXooX...." +
        "XooXXooX...." +
        "XoX..XooX..." +
        "XX...XooX..." +
        "X.....XooX.." +
        "......XooX.." +
        ".......XX...";

    /// <summary>The image as ARGB8888, row-major without padding.</summary>
    public static uint[] CreateImage()
    {
        var image = new uint[Width * Height];
        for (int i = 0; i < image.Length; i++)
        {
            image[i] = Shape[i] switch
            {
                'X' => Outline,
                'o' => Fill,
                _ => Clear,
            };
        }
        return image;
    }
}
