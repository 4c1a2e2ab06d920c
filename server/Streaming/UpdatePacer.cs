namespace WebConsole.Streaming;

/// <summary>
/// The frame-rate cap of one console's capture loop: updates in a burst go out at most
/// <c>Streaming:MaxFramesPerSecond</c>, counted from the last capture that had new pixels (or the
/// last update sent), so the first change after a still period is captured at once instead of
/// waiting out an interval that started with a capture that found nothing.
/// </summary>
internal sealed class UpdatePacer(TimeProvider time, int maxFramesPerSecond)
{
    private readonly TimeSpan _interval = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / maxFramesPerSecond);
    private long _lastBusy = long.MinValue;

    /// <summary>How long the loop waits before its next capture: zero unless an update went out less than one interval ago.</summary>
    public TimeSpan DelayBeforeCapture()
    {
        long lastSent = _lastBusy;
        if (lastSent == long.MinValue)
        {
            return TimeSpan.Zero;
        }
        TimeSpan due = _interval - time.GetElapsedTime(lastSent);
        return due > TimeSpan.Zero ? due : TimeSpan.Zero;
    }

    /// <summary>A capture just had new pixels, or an update just went out.</summary>
    public void Busy() => _lastBusy = time.GetTimestamp();

    /// <summary>
    /// The capture that began at <paramref name="startedAt"/> (a <see cref="TimeProvider.GetTimestamp"/>)
    /// had new pixels: the interval counts from its start, so encoding time does not stretch it.
    /// </summary>
    public void Busy(long startedAt) => _lastBusy = startedAt;
}
