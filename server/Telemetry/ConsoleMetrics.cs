using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace WebConsole.Telemetry;

/// <summary>
/// The <c>WebConsole</c> meter: what the capture loops do, per console. <c>/metrics</c> exports it
/// in Prometheus format (names there: <c>webconsole_frames_captured_total</c>,
/// <c>webconsole_rects_encoded_total{kind}</c>, <c>webconsole_encode_duration_seconds</c>,
/// <c>webconsole_sent_bytes_total</c>, <c>webconsole_refresh_sent_bytes_total</c>, <c>webconsole_viewers</c>,
/// <c>webconsole_updates_merged_total</c>, each with a <c>console</c> label).
/// </summary>
public sealed class ConsoleMetrics : IDisposable
{
    /// <summary>The meter's name, for <c>AddMeter</c> and listeners.</summary>
    public const string MeterName = "WebConsole";

    private readonly Meter _meter;
    private readonly ConcurrentDictionary<string, ConsoleMeter> _consoles = new(StringComparer.Ordinal);

    public ConsoleMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(MeterName);
        // Counts carry no unit, so their Prometheus names stay plain (webconsole_frames_captured_total);
        // seconds and bytes do, and the exporter appends them (_seconds, _bytes).
        FramesCaptured = _meter.CreateCounter<long>("webconsole.frames.captured", unit: null, description:
            "Frames read from a console's source that brought new pixels.");
        RectsEncoded = _meter.CreateCounter<long>("webconsole.rects.encoded", unit: null, description:
            "Rectangles encoded, by kind: solid, png or jpeg.");
        EncodeDuration = _meter.CreateHistogram<double>("webconsole.encode.duration", "s",
            "Time to classify and encode one update.", tags: null, advice: new InstrumentAdvice<double>
            {
                // From a 64x64 tile (tenths of a millisecond) to a full 4K frame (tenths of a second).
                HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
            });
        BytesSent = _meter.CreateCounter<long>("webconsole.sent", "By",
            "Encoded payload bytes handed to viewers' connections (one update to three viewers counts three times).");
        RefreshBytesSent = _meter.CreateCounter<long>("webconsole.refresh.sent", "By",
            "Of the bytes sent, those of lossless refreshes: areas sent as JPEG earlier, sent again as PNG once still.");
        UpdatesMerged = _meter.CreateCounter<long>("webconsole.updates.merged", unit: null, description:
            "Updates a slow viewer did not get as they happened: their damage merged into its pending tiles.");
        _meter.CreateObservableGauge("webconsole.viewers", ObserveViewers, unit: null, description: "Viewers watching a console now.");
    }

    internal Counter<long> FramesCaptured { get; }

    internal Counter<long> RectsEncoded { get; }

    internal Histogram<double> EncodeDuration { get; }

    internal Counter<long> BytesSent { get; }

    internal Counter<long> RefreshBytesSent { get; }

    internal Counter<long> UpdatesMerged { get; }

    /// <summary>The recorder of one console; <paramref name="viewers"/> is read on each scrape.</summary>
    internal ConsoleMeter ForConsole(string id, Func<int> viewers)
    {
        var meter = new ConsoleMeter(this, id, viewers);
        _consoles[id] = meter;
        return meter;
    }

    private IEnumerable<Measurement<int>> ObserveViewers()
    {
        foreach (ConsoleMeter console in _consoles.Values)
        {
            yield return new Measurement<int>(console.Viewers(), console.Tags);
        }
    }

    public void Dispose() => _meter.Dispose();
}
