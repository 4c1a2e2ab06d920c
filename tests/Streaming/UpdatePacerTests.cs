using WebConsole.Streaming;
using WebConsole.Tests.Demo;

namespace WebConsole.Tests.Streaming;

public sealed class UpdatePacerTests
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 18, 0, 0, TimeSpan.Zero));

    [Fact]
    public void FirstCapture_IsNotDelayed()
    {
        var pacer = new UpdatePacer(_time, 60);
        Assert.Equal(TimeSpan.Zero, pacer.DelayBeforeCapture());
    }

    [Fact]
    public void BurstOfUpdates_IsPacedToTheCap()
    {
        var pacer = new UpdatePacer(_time, 60);
        pacer.Busy();
        _time.Advance(TimeSpan.FromMilliseconds(4));
        TimeSpan delay = pacer.DelayBeforeCapture();
        Assert.InRange(delay.TotalMilliseconds, 12.5, 12.7); // 16.67 ms interval minus the 4 ms gone
    }

    [Fact]
    public void FirstChangeAfterStillPeriod_GoesOutAtOnce()
    {
        var pacer = new UpdatePacer(_time, 60);
        pacer.Busy();
        _time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.True(pacer.DelayBeforeCapture() > TimeSpan.Zero);
        // Once an interval has gone by without an update, the next capture is not held back however
        // often the loop looked at a still screen in between (only sends start an interval).
        for (int i = 0; i < 50; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(10));
            Assert.Equal(TimeSpan.Zero, pacer.DelayBeforeCapture());
        }
    }

    [Fact]
    public void Interval_CountsFromTheStartOfTheCapture_NotItsEnd()
    {
        var pacer = new UpdatePacer(_time, 60);
        long started = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromMilliseconds(5)); // capturing and encoding took 5 ms
        pacer.Busy(started);
        Assert.InRange(pacer.DelayBeforeCapture().TotalMilliseconds, 11.5, 11.8);
    }
}
