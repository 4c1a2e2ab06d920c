namespace WebConsole.Bench;

/// <summary>The wall clock the producer and the viewers compare: CLOCK_REALTIME, in Unix milliseconds with a fractional part.</summary>
internal static class Clock
{
    public static double NowMs() => (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).TotalMilliseconds;
}
