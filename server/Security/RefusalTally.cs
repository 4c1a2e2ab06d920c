namespace WebConsole.Security;

/// <summary>
/// Counts refusals server-wide and lets one log line through per interval, carrying the count since
/// the last one: a client (or many) calling in a loop costs a counter increment per call, not a log line.
/// Thread-safe.
/// </summary>
internal sealed class RefusalTally(TimeProvider time, TimeSpan interval)
{
    private long _count;
    private long _lastLog;

    /// <summary>Counts one refusal; true with the count to log (this one included) when a line is due.</summary>
    public bool Add(out long count)
    {
        Interlocked.Increment(ref _count);
        long now = time.GetTimestamp();
        long last = Interlocked.Read(ref _lastLog);
        if (last != 0 && time.GetElapsedTime(last, now) < interval)
        {
            count = 0;
            return false;
        }
        if (Interlocked.CompareExchange(ref _lastLog, now, last) != last)
        {
            count = 0;
            return false; // another thread logs this interval
        }
        count = Interlocked.Exchange(ref _count, 0);
        return true;
    }
}
