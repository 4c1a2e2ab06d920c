namespace WebConsole.Region;

/// <summary>Facts about <see cref="PixelFormat"/> values.</summary>
public static class PixelFormats
{
    /// <summary>Bytes per pixel, or 0 for a code this version does not know.</summary>
    public static int BytesPerPixel(PixelFormat format) => format switch
    {
        PixelFormat.Xrgb8888 or PixelFormat.Argb8888 or PixelFormat.Xbgr8888 or PixelFormat.Abgr8888 => 4,
        PixelFormat.Rgb565 => 2,
        _ => 0,
    };

    /// <summary>The fourcc as its four characters, for messages.</summary>
    public static string Name(uint fourcc)
    {
        Span<char> c = stackalloc char[4];
        for (int i = 0; i < 4; i++)
        {
            char ch = (char)((fourcc >> (8 * i)) & 0xFF);
            c[i] = ch is >= ' ' and <= '~' ? ch : '?';
        }
        return $"'{new string(c)}' (0x{fourcc:X8})";
    }
}
