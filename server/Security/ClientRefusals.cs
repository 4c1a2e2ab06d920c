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
        "unknown console", "input before Join",
    ];

    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(1);

    private readonly long[] _counts = new long[s_names.Length];
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _lastLog;

    public ClientRefusals(TimeProvider time, ILogger<ClientRefusals> logger)
    {
        _time = time;
        _logger = logger;
        _lastLog = time.GetTimestamp() - (long)(2 * time.TimestampFrequency);
    }

    /// <summary>Counts one refusal; writes the line when one is due.</summary>
    public void Add(ClientRefusal reason)
    {
        Interlocked.Increment(ref _counts[(int)reason]);
        long now = _time.GetTimestamp();
        long last = Interlocked.Read(ref _lastLog);
        TimeSpan elapsed = _time.GetElapsedTime(last, now);
        if (elapsed < s_interval || Interlocked.CompareExchange(ref _lastLog, now, last) != last)
        {
            return; // not due, or another thread writes this interval's line
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
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Count} client requests in the last {Seconds:F1} s: {Reasons}")]
    private partial void LogRefused(long count, double seconds, string reasons);
}
