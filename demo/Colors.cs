namespace WebConsole.Demo;

/// <summary>The scene's palette and colour arithmetic, as XRGB8888 values (0xXXRRGGBB, X set to 0xFF so ARGB readers see opaque pixels).</summary>
internal static class Colors
{
    public const uint Background = 0xFF0F131A;
    public const uint TitleLeft = 0xFF2457C5;
    public const uint TitleRight = 0xFF7B3FC4;
    public const uint TitleText = 0xFFFFFFFF;
    public const uint TitleDim = 0xFFD5DCF5;
    public const uint Panel = 0xFF1A2030;
    public const uint PanelBorder = 0xFF34405A;
    public const uint Label = 0xFF8D9BB8;
    public const uint Text = 0xFFE6EDF3;
    public const uint Clock = 0xFF7EE787;
    public const uint Arena = 0xFF121826;
    public const uint MarqueeStrip = 0xFF2A2110;
    public const uint MarqueeText = 0xFFFFD33D;
    public const uint Caret = 0xFF58A6FF;
    public const uint DotHover = 0xFF39C5FF;
    public const uint DotLeft = 0xFFFF7B39;
    public const uint DotMiddle = 0xFF3DDC84;
    public const uint DotRight = 0xFFFF4FD8;

    /// <summary>An opaque colour from 8-bit channels (clamped).</summary>
    public static uint Rgb(int r, int g, int b) =>
        0xFF000000u | ((uint)Math.Clamp(r, 0, 255) << 16) | ((uint)Math.Clamp(g, 0, 255) << 8) | (uint)Math.Clamp(b, 0, 255);

    /// <summary>The colour <paramref name="step"/>/<paramref name="steps"/> of the way from <paramref name="a"/> to <paramref name="b"/>.</summary>
    public static uint Lerp(uint a, uint b, int step, int steps) => Rgb(
        Channel(a, 16) + (Channel(b, 16) - Channel(a, 16)) * step / steps,
        Channel(a, 8) + (Channel(b, 8) - Channel(a, 8)) * step / steps,
        Channel(a, 0) + (Channel(b, 0) - Channel(a, 0)) * step / steps);

    /// <summary>A saturated colour of hue <paramref name="degrees"/> (0 red, 120 green, 240 blue).</summary>
    public static uint Hue(int degrees)
    {
        int h = ((degrees % 360) + 360) % 360;
        int rise = h % 60 * 255 / 60, fall = 255 - rise;
        return (h / 60) switch
        {
            0 => Rgb(255, rise, 40),
            1 => Rgb(fall, 255, 40),
            2 => Rgb(40, 255, rise),
            3 => Rgb(40, fall, 255),
            4 => Rgb(rise, 40, 255),
            _ => Rgb(255, 40, fall),
        };
    }

    /// <summary>The colour scaled towards black by <paramref name="percent"/> percent brightness.</summary>
    public static uint Shade(uint color, int percent) =>
        Rgb(Channel(color, 16) * percent / 100, Channel(color, 8) * percent / 100, Channel(color, 0) * percent / 100);

    private static int Channel(uint color, int shift) => (int)((color >> shift) & 0xFF);
}
