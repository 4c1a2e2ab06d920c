using WebConsole.Encoding;
using WebConsole.Region;

namespace WebConsole.Streaming;

/// <summary>
/// A console's JPEG quality per part, KasmVNC and Guacamole style: the top quality
/// (<c>Streaming:JpegQuality</c>) for areas that change rarely, falling linearly to the floor
/// (<c>Streaming:MinJpegQuality</c>) as a tile's <see cref="ChangeHeat"/> goes from
/// <see cref="CoolHeat"/> to <see cref="HotHeat"/>; and never above what the viewers' lag allows:
/// top at <see cref="LagLowMs"/> of round trip or less, the floor at <see cref="LagHighMs"/>.
/// What motion costs in sharpness, the lossless refresh gives back once the area is still.
/// </summary>
internal sealed class AdaptiveQuality(ChangeHeat heat, int top, int floor) : IJpegQuality
{
    private readonly int _top = top;
    private readonly int _floor = floor;

    /// <summary>Heat at which quality starts to drop: an area changing about twice a second (a slide show stays sharp).</summary>
    public const float CoolHeat = 2;

    /// <summary>
    /// Heat at which quality reaches the floor: an area changing about 8 times a second or more
    /// (video, scrolling, full-screen motion), where one update's bytes decide the latency.
    /// </summary>
    public const float HotHeat = 6;

    public const double LagLowMs = 20;
    public const double LagHighMs = 80;

    private int _lagCap = 100;
    private int _lowest = 101;

    /// <summary>Sets the lag cap for the next encode from the largest smoothed round trip of the viewers it goes to.</summary>
    public void ForLag(double roundTripMs)
    {
        double t = Math.Clamp((roundTripMs - LagLowMs) / (LagHighMs - LagLowMs), 0, 1);
        _lagCap = (int)Math.Round(_top - (_top - _floor) * t);
        _lowest = 101;
    }

    /// <summary>The lowest quality given to a part since <see cref="ForLag"/>; 0 when no part was JPEG.</summary>
    public int Lowest => _lowest > 100 ? 0 : _lowest;

    public int For(PixelRect rect)
    {
        float t = Math.Clamp((heat.Hottest(rect) - CoolHeat) / (HotHeat - CoolHeat), 0, 1);
        int quality = Math.Min((int)Math.Round(_top - (_top - _floor) * t), _lagCap);
        quality = Math.Clamp(quality, 1, 100);
        int lowest;
        do
        {
            lowest = Volatile.Read(ref _lowest);
        }
        while (quality < lowest && Interlocked.CompareExchange(ref _lowest, quality, lowest) != lowest);
        return quality;
    }
}
