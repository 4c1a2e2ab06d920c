using WebConsole.Region;
using WebConsole.Streaming;
using WebConsole.Tests.Demo;

namespace WebConsole.Tests.Streaming;

public sealed class AdaptiveQualityTests
{
    private static readonly PixelRect s_tile = new(64, 64, 64, 64);
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 19, 0, 0, TimeSpan.Zero));
    private readonly ChangeHeat _heat;
    private readonly AdaptiveQuality _quality;

    public AdaptiveQualityTests()
    {
        _heat = new ChangeHeat(_time);
        _heat.Reset(640, 480);
        _quality = new AdaptiveQuality(_heat, 80, 30);
    }

    private void ChangeFor(TimeSpan duration, int perSecond)
    {
        var step = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / perSecond);
        for (TimeSpan t = TimeSpan.Zero; t < duration; t += step)
        {
            _time.Advance(step);
            _heat.Record([s_tile]);
        }
    }

    [Fact]
    public void RarelyChangingArea_GetsTheTopQuality()
    {
        _quality.ForLag(5);
        ChangeFor(TimeSpan.FromSeconds(2), perSecond: 2);
        Assert.Equal(80, _quality.For(s_tile));
        Assert.Equal(80, _quality.For(new PixelRect(300, 300, 64, 64))); // never changed
    }

    [Fact]
    public void AreaInFullMotion_FallsToTheFloor_AndCoolsBackWhenStill()
    {
        _quality.ForLag(5);
        ChangeFor(TimeSpan.FromSeconds(2), perSecond: 60);
        Assert.Equal(30, _quality.For(s_tile));
        Assert.Equal(80, _quality.For(new PixelRect(256, 256, 64, 64))); // elsewhere: still sharp
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(80, _quality.For(s_tile));
    }

    [Fact]
    public void ModerateMotion_GetsAQualityInBetween()
    {
        _quality.ForLag(5);
        ChangeFor(TimeSpan.FromSeconds(2), perSecond: 4);
        Assert.InRange(_quality.For(s_tile), 31, 79);
    }

    [Theory]
    [InlineData(10, 80)]
    [InlineData(20, 80)]
    [InlineData(50, 55)]
    [InlineData(80, 30)]
    [InlineData(400, 30)]
    public void ViewerLag_CapsTheQuality(double roundTripMs, int expected)
    {
        _quality.ForLag(roundTripMs);
        Assert.Equal(expected, _quality.For(s_tile));
        Assert.Equal(expected, _quality.Lowest);
    }
}
