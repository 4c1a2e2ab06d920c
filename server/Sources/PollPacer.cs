namespace WebConsole.Sources;

/// <summary>
/// How often to look at a source that cannot say when it changed (an XWD file, a framebuffer
/// device): every frame while something happens, then slower once the screen has been still
/// for a while, so a static console costs little.
/// </summary>
public sealed class PollPacer(TimeProvider time)
{
    /// <summary>The pace while the screen changes or input arrives: 60 Hz.</summary>
    public static readonly TimeSpan ActiveInterval = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / 60);

    /// <summary>The pace of a still screen: 10 Hz, so a change still shows within 100 ms.</summary>
    public static readonly TimeSpan IdleInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>How long after the last change or input the pace stays active.</summary>
    public static readonly TimeSpan ActiveFor = TimeSpan.FromSeconds(2);

    private long _lastActivity = long.MinValue;
    private long _lastPoll = long.MinValue;

    /// <summary>The screen changed or input was sent: poll at the active pace for a while.</summary>
    public void Activity() => Volatile.Write(ref _lastActivity, time.GetTimestamp());

    /// <summary>A poll happened now.</summary>
    public void Polled() => Volatile.Write(ref _lastPoll, time.GetTimestamp());

    /// <summary>How long to wait before the next poll (zero when it is due).</summary>
    public TimeSpan NextDelay()
    {
        long now = time.GetTimestamp();
        long lastActivity = Volatile.Read(ref _lastActivity), lastPoll = Volatile.Read(ref _lastPoll);
        if (lastPoll == long.MinValue)
        {
            return TimeSpan.Zero;
        }
        bool active = lastActivity != long.MinValue && time.GetElapsedTime(lastActivity, now) < ActiveFor;
        TimeSpan due = (active ? ActiveInterval : IdleInterval) - time.GetElapsedTime(lastPoll, now);
        return due > TimeSpan.Zero ? due : TimeSpan.Zero;
    }
}
