namespace WebConsole.Streaming;

/// <summary>
/// What a console's source last said (state, reason, size), kept for every request that asks:
/// <c>/healthz</c>, <c>/api/consoles</c> and <c>Join</c> read it without touching the source or its
/// lock. It also knows when a call into the source has been running for a while: a peer that
/// accepted and went silent shows as "not answering since ..." instead of stalling whoever asks.
/// </summary>
internal sealed class SourceStatusBoard(string id, string source, TimeProvider time)
{
    /// <summary>A poll that takes longer than this is reported as a source not answering (the first read of a 16384x16384 region takes about 1 s here).</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromSeconds(3);

    private readonly object _changed = new();
    private volatile Reading _last = new("waiting", "waiting for producer: not read yet", 0, 0);
    private long _callStarted = long.MinValue; // timestamp of the call into the source now running
    private int _version;

    private sealed record Reading(string State, string? Reason, int Width, int Height);

    /// <summary>Counts the readings taken (<see cref="WaitForReading"/> waits for the next one).</summary>
    public int Version => Volatile.Read(ref _version);

    /// <summary>A call into the source starts (a poll that may wait on its peer).</summary>
    public void Enter() => Volatile.Write(ref _callStarted, time.GetTimestamp());

    /// <summary>The call returned: what the source says now, from the thread that called it.</summary>
    public void Exit(string state, string? reason, int width, int height)
    {
        _last = new Reading(state, reason, width, height);
        Volatile.Write(ref _callStarted, long.MinValue);
        lock (_changed)
        {
            _version++;
            Monitor.PulseAll(_changed);
        }
    }

    /// <summary>True while a call into the source has been running for <paramref name="atLeast"/> or more.</summary>
    public bool BusyFor(TimeSpan atLeast)
    {
        long started = Volatile.Read(ref _callStarted);
        return started != long.MinValue && time.GetElapsedTime(started) >= atLeast;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for a reading newer than <paramref name="version"/>.</summary>
    public bool WaitForReading(int version, TimeSpan timeout)
    {
        lock (_changed)
        {
            return _version != version || (Monitor.Wait(_changed, timeout) && _version != version);
        }
    }

    /// <summary>The last reading, or "not answering since ..." while a call has been stuck for <see cref="StuckAfter"/>.</summary>
    public ConsoleStatus Read(int viewers)
    {
        Reading last = _last;
        long started = Volatile.Read(ref _callStarted);
        if (started != long.MinValue)
        {
            TimeSpan stuck = time.GetElapsedTime(started);
            if (stuck >= StuckAfter)
            {
                DateTimeOffset since = time.GetUtcNow() - stuck;
                return new ConsoleStatus(id, source, "waiting",
                    $"waiting for producer: not answering since {since:HH:mm:ss} UTC ({stuck.TotalSeconds:0} s){Also(last)}",
                    last.Width, last.Height, viewers);
            }
        }
        return new ConsoleStatus(id, source, last.State, last.Reason, last.Width, last.Height, viewers);
    }

    private static string Also(Reading last) => last.Reason is null ? "" : $"; before that: {last.Reason}";
}
