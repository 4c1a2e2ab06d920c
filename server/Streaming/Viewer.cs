using System.Diagnostics;
using WebConsole.Sources.Clipboard;

namespace WebConsole.Streaming;

/// <summary>One connection watching a console, with its own flow control.</summary>
internal sealed class Viewer(string connectionId, Action disconnect, ClipboardDirections clipboard = ClipboardDirections.None)
{
    /// <summary>Until acks say otherwise: 10 MB/s, so the first refresh after a join is not held back long.</summary>
    private const double InitialBytesPerSecond = 10e6;
    private const double MinBytesPerSecond = 1e6;
    /// <summary>Updates smaller than this say little about bandwidth (their round trip is mostly latency).</summary>
    private const int MinBandwidthSample = 16 * 1024;
    private const int Remembered = 16;

    private readonly Lock _gate = new();
    private readonly (long FrameId, long SentAt, long Bytes)[] _sent = new (long, long, long)[Remembered];
    private int _sentNext;
    private int _inFlight;
    private double _roundTripMs;
    private double _bytesPerSecond = InitialBytesPerSecond;
    private double _refreshTokens;
    private long _tokensAt = Stopwatch.GetTimestamp();

    public string ConnectionId { get; } = connectionId;

    /// <summary>Ends the viewer's connection (its console was removed).</summary>
    public Action Disconnect { get; } = disconnect;

    /// <summary>Which ways the clipboard may carry text for this viewer as far as its access goes (the console narrows it).</summary>
    public ClipboardDirections Clipboard { get; } = clipboard;

    private long _cursorVersion;

    /// <summary>
    /// Records that the viewer now has cursor version <paramref name="version"/>; returns the version it
    /// had before, so a sender skips a viewer that is already there and sends a whole cursor (image
    /// included) to one that missed a step. Any thread.
    /// </summary>
    public long TakeCursorVersion(long version)
    {
        long before = Interlocked.Read(ref _cursorVersion);
        while (before < version)
        {
            long seen = Interlocked.CompareExchange(ref _cursorVersion, version, before);
            if (seen == before)
            {
                return before;
            }
            before = seen;
        }
        return before;
    }

    /// <summary>Tiles this viewer has not received yet; touched only by the capture loop.</summary>
    public TileSet Pending { get; } = new();

    /// <summary>Tiles whose last version sent to this viewer was JPEG: due for a lossless refresh once still. Capture loop only.</summary>
    public TileSet Lossy { get; } = new();

    /// <summary>The viewer needs a Resize message before its next update.</summary>
    public bool NeedsResize { get; set; } = true;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Smoothed time from sending an update to its ack, in ms (0 before the first ack).</summary>
    public double RoundTripMs
    {
        get
        {
            lock (_gate)
            {
                return _roundTripMs;
            }
        }
    }

    /// <summary>Smoothed bytes per second the viewer takes in, from large updates and their acks.</summary>
    public double BytesPerSecond
    {
        get
        {
            lock (_gate)
            {
                return _bytesPerSecond;
            }
        }
    }

    /// <summary>Update <paramref name="frameId"/> of <paramref name="bytes"/> went out now.</summary>
    public void Sent(long frameId, long bytes)
    {
        Interlocked.Increment(ref _inFlight);
        lock (_gate)
        {
            _sent[_sentNext] = (frameId, Stopwatch.GetTimestamp(), bytes);
            _sentNext = (_sentNext + 1) % Remembered;
        }
    }

    /// <summary>
    /// The acknowledgement of update <paramref name="frameId"/> frees one slot (never below zero) and
    /// measures its round trip and bandwidth. Returns the number in flight before, so the caller knows
    /// whether the viewer was held back.
    /// </summary>
    public int Acknowledged(long frameId)
    {
        Measure(frameId);
        int current;
        do
        {
            current = Volatile.Read(ref _inFlight);
            if (current == 0)
            {
                return 0;
            }
        }
        while (Interlocked.CompareExchange(ref _inFlight, current - 1, current) != current);
        return current;
    }

    private void Measure(long frameId)
    {
        lock (_gate)
        {
            for (int i = 0; i < Remembered; i++)
            {
                (long id, long sentAt, long bytes) = _sent[i];
                if (id != frameId)
                {
                    continue;
                }
                _sent[i] = default;
                double ms = Math.Max(0.1, Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
                _roundTripMs = _roundTripMs == 0 ? ms : _roundTripMs * 0.7 + ms * 0.3;
                if (bytes >= MinBandwidthSample)
                {
                    double sample = Math.Max(MinBytesPerSecond, bytes * 1000 / ms);
                    _bytesPerSecond = _bytesPerSecond * 0.7 + sample * 0.3;
                }
                return;
            }
        }
    }

    /// <summary>
    /// Whether the refresh budget (<paramref name="share"/> of the measured bandwidth, saved up to
    /// <paramref name="burst"/> bytes) allows another refresh message now.
    /// </summary>
    public bool RefreshAllowed(double share, double burst)
    {
        long now = Stopwatch.GetTimestamp();
        double seconds = Stopwatch.GetElapsedTime(_tokensAt, now).TotalSeconds;
        _tokensAt = now;
        _refreshTokens = Math.Min(burst, _refreshTokens + seconds * share * BytesPerSecond);
        return _refreshTokens >= 0;
    }

    /// <summary>A refresh of <paramref name="bytes"/> went out: the budget may go into debt, which later refills pay back.</summary>
    public void RefreshSent(long bytes) => _refreshTokens -= bytes;
}
