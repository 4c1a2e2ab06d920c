using System.Text;

namespace WebConsole.Security;

/// <summary>
/// Server-wide count of refusals caused by clients (a full input ring, text too long, view-only
/// input, the rate caps, ...): a client calling in a loop costs a counter increment per call, and
/// one line at Information at most once a second says how many and why
/// ("Refused 523 client requests in the last 1.0 s: input ring full 500, text too long 23").
/// The first refusal after a quiet second is logged at once. Thread-safe.
/// </summary>
internal sealed partial class ClientRefusals
{
    private static readonly string[] s_names =
    [
        "input ring full", "text too long", "too many input events", "invalid input events", "untypable text",
        "view-only input", "input rate cap", "call rate cap", "Join rate cap", "Join of another console",
        "unknown console", "input before Join", "clipboard not allowed", "clipboard text too large", "clipboard text invalid",
        "clipboard rate cap",
    ];

    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(1);

    private readonly long[] _counts = new long[s_names.Length];
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _flush;
    private long _lastLog;
    private int _flushArmed;

    public ClientRefusals(TimeProvider time, ILogger<ClientRefusals> logger)
    {
        _time = time;
        _logger = logger;
        _lastLog = time.GetTimestamp() - (long)(2 * time.TimestampFrequency);
        _flush = time.CreateTimer(static state => ((ClientRefusals)state!).Flush(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Counts one refusal; writes the line when one is due (or arms a flush for the end of this second).</summary>
    public void Add(ClientRefusal reason)
    {
        Interlocked.Increment(ref _counts[(int)reason]);
        if (!TryWrite() && Interlocked.Exchange(ref _flushArmed, 1) == 0)
        {
            // The last refusals of a burst are written a second later, not only with the next refusal.
            _flush.Change(s_interval, Timeout.InfiniteTimeSpan);
        }
    }

    private void Flush()
    {
        Volatile.Write(ref _flushArmed, 0);
        if (!TryWrite() && Pending() && Interlocked.Exchange(ref _flushArmed, 1) == 0)
        {
            _flush.Change(s_interval, Timeout.InfiniteTimeSpan);
        }
    }

    private bool Pending()
    {
        for (int i = 0; i < _counts.Length; i++)
        {
            if (Interlocked.Read(ref _counts[i]) > 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Writes the counts gathered when a second has passed since the last line; false when not due.</summary>
    private bool TryWrite()
    {
        long now = _time.GetTimestamp();
        long last = Interlocked.Read(ref _lastLog);
        TimeSpan elapsed = _time.GetElapsedTime(last, now);
        if (elapsed < s_interval || Interlocked.CompareExchange(ref _lastLog, now, last) != last)
        {
            return false; // not due, or another thread writes this interval's line
        }
        long total = 0;
        var reasons = new StringBuilder();
        for (int i = 0; i < _counts.Length; i++)
        {
            long count = Interlocked.Exchange(ref _counts[i], 0);
            if (count > 0)
            {
                total += count;
                reasons.Append(reasons.Length == 0 ? "" : ", ").Append(s_names[i]).Append(' ').Append(count);
            }
        }
        string text = reasons.ToString();
        double seconds = Math.Min(elapsed.TotalSeconds, 3600 * 24);
        if (total > 0)
        {
            LogRefused(total, seconds, text);
        }
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Count} client requests in the last {Seconds:F1} s: {Reasons}")]
    private partial void LogRefused(long count, double seconds, string reasons);
}
