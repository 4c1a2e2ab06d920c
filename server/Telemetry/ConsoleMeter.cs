using System.Diagnostics;
using WebConsole.Encoding;

namespace WebConsole.Telemetry;

/// <summary>
/// Records one console's measurements into <see cref="ConsoleMetrics"/>. The tag arrays are built
/// once here, so a recording allocates nothing: the capture loop calls these on every frame.
/// </summary>
internal sealed class ConsoleMeter
{
    private readonly ConsoleMetrics _metrics;
    private readonly KeyValuePair<string, object?>[] _console;
    private readonly KeyValuePair<string, object?>[][] _byKind;

    public ConsoleMeter(ConsoleMetrics metrics, string id, Func<int> viewers)
    {
        _metrics = metrics;
        Viewers = viewers;
        _console = [new("console", id)];
        _byKind = new KeyValuePair<string, object?>[3][];
        _byKind[(int)RectKind.Solid] = [new("console", id), new("kind", "solid")];
        _byKind[(int)RectKind.Png] = [new("console", id), new("kind", "png")];
        _byKind[(int)RectKind.Jpeg] = [new("console", id), new("kind", "jpeg")];
    }

    public Func<int> Viewers { get; }

    public ReadOnlySpan<KeyValuePair<string, object?>> Tags => _console;

    /// <summary>The source brought a frame with new pixels.</summary>
    public void FrameCaptured() => _metrics.FramesCaptured.Add(1, _console);

    /// <summary>A viewer with no room took this frame's damage into its pending tiles instead of an update.</summary>
    public void UpdateMerged() => _metrics.UpdatesMerged.Add(1, _console);

    /// <summary>
    /// An update encoded since <paramref name="started"/> (a <see cref="Stopwatch.GetTimestamp"/>)
    /// and handed to <paramref name="viewers"/> viewers: its time, its rectangles by kind and its bytes
    /// (a lossless <paramref name="refresh"/> also in its own series).
    /// </summary>
    public void Encoded(EncodedUpdate update, long started, int viewers, bool refresh = false)
    {
        _metrics.EncodeDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, _console);
        (int solid, int png, int jpeg) = update.CountKinds();
        AddKind(RectKind.Solid, solid);
        AddKind(RectKind.Png, png);
        AddKind(RectKind.Jpeg, jpeg);
        _metrics.BytesSent.Add(update.TotalBytes * viewers, _console);
        if (refresh)
        {
            _metrics.RefreshBytesSent.Add(update.TotalBytes * viewers, _console);
        }
    }

    private void AddKind(RectKind kind, long count)
    {
        if (count > 0)
        {
            _metrics.RectsEncoded.Add(count, _byKind[(int)kind]);
        }
    }
}
