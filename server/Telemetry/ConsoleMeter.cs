using System.Diagnostics;
using WebConsole.Encoding;

namespace WebConsole.Telemetry;

/// <summary>
/// One console's counts for <see cref="ConsoleMetrics"/>, read at each scrape. Recording is an
/// interlocked add and allocates nothing: the capture loop calls these on every frame. Disposing it
/// (the console left the set) removes the console's series.
/// </summary>
internal sealed class ConsoleMeter : IDisposable
{
    public const int Kinds = 3;

    private readonly ConsoleMetrics _metrics;
    private readonly KeyValuePair<string, object?>[] _console;
    private readonly KeyValuePair<string, object?>[][] _byKind;
    private readonly long[] _rects = new long[Kinds];
    private readonly KeyValuePair<string, object?>[] _toGuest;
    private readonly KeyValuePair<string, object?>[] _fromGuest;
    private long _framesCaptured, _updatesMerged, _encodes, _encodeTicks, _bytesSent, _refreshBytesSent;
    private long _clipboardToGuest, _clipboardFromGuest;

    public ConsoleMeter(ConsoleMetrics metrics, string id, Func<int> viewers)
    {
        _metrics = metrics;
        Viewers = viewers;
        _console = [new("console", id)];
        _byKind = new KeyValuePair<string, object?>[Kinds][];
        _byKind[(int)RectKind.Solid] = [new("console", id), new("kind", "solid")];
        _byKind[(int)RectKind.Png] = [new("console", id), new("kind", "png")];
        _byKind[(int)RectKind.Jpeg] = [new("console", id), new("kind", "jpeg")];
        _toGuest = [new("console", id), new("direction", "to_guest")];
        _fromGuest = [new("console", id), new("direction", "from_guest")];
    }

    public ReadOnlySpan<KeyValuePair<string, object?>> ToGuestTags => _toGuest;

    public ReadOnlySpan<KeyValuePair<string, object?>> FromGuestTags => _fromGuest;

    /// <summary>UTF-8 bytes of clipboard text set in the guest.</summary>
    public long ClipboardToGuest => Interlocked.Read(ref _clipboardToGuest);

    /// <summary>UTF-8 bytes of guest clipboard text handed to viewers (one text to three viewers counts three times).</summary>
    public long ClipboardFromGuest => Interlocked.Read(ref _clipboardFromGuest);

    public void ClipboardSet(long bytes) => Interlocked.Add(ref _clipboardToGuest, bytes);

    public void ClipboardRelayed(long bytes) => Interlocked.Add(ref _clipboardFromGuest, bytes);

    public Func<int> Viewers { get; }

    public ReadOnlySpan<KeyValuePair<string, object?>> Tags => _console;

    public ReadOnlySpan<KeyValuePair<string, object?>> KindTags(int kind) => _byKind[kind];

    public long FramesCaptured => Interlocked.Read(ref _framesCaptured);

    public long UpdatesMerged => Interlocked.Read(ref _updatesMerged);

    public long Encodes => Interlocked.Read(ref _encodes);

    public double EncodeSeconds => Interlocked.Read(ref _encodeTicks) / (double)Stopwatch.Frequency;

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public long RefreshBytesSent => Interlocked.Read(ref _refreshBytesSent);

    public long Rects(int kind) => Interlocked.Read(ref _rects[kind]);

    /// <summary>The source brought a frame with new pixels.</summary>
    public void FrameCaptured() => Interlocked.Increment(ref _framesCaptured);

    /// <summary>A viewer with no room took this frame's damage into its pending tiles instead of an update.</summary>
    public void UpdateMerged() => Interlocked.Increment(ref _updatesMerged);

    /// <summary>
    /// An update encoded since <paramref name="started"/> (a <see cref="Stopwatch.GetTimestamp"/>)
    /// and handed to <paramref name="viewers"/> viewers: its time, its rectangles by kind and its bytes
    /// (a lossless <paramref name="refresh"/> also in its own series).
    /// </summary>
    public void Encoded(EncodedUpdate update, long started, int viewers, bool refresh = false)
    {
        long ticks = Stopwatch.GetTimestamp() - started;
        _metrics.EncodeDuration.Record(ticks / (double)Stopwatch.Frequency);
        Interlocked.Increment(ref _encodes);
        Interlocked.Add(ref _encodeTicks, ticks);
        (int solid, int png, int jpeg) = update.CountKinds();
        Interlocked.Add(ref _rects[(int)RectKind.Solid], solid);
        Interlocked.Add(ref _rects[(int)RectKind.Png], png);
        Interlocked.Add(ref _rects[(int)RectKind.Jpeg], jpeg);
        Interlocked.Add(ref _bytesSent, update.TotalBytes * viewers);
        if (refresh)
        {
            Interlocked.Add(ref _refreshBytesSent, update.TotalBytes * viewers);
        }
    }

    public void Dispose() => _metrics.Remove(this);
}
