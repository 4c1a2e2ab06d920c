using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace WebConsole.Telemetry;

/// <summary>
/// The <c>WebConsole</c> meter: what the capture loops do, per console. <c>/metrics</c> exports it
/// in Prometheus format (names there: <c>webconsole_frames_captured_total</c>,
/// <c>webconsole_rects_encoded_total{kind}</c>, <c>webconsole_encodes_total</c>,
/// <c>webconsole_encode_time_seconds_total</c>, <c>webconsole_sent_bytes_total</c>,
/// <c>webconsole_refresh_sent_bytes_total</c>, <c>webconsole_viewers</c>,
/// <c>webconsole_updates_merged_total</c>, <c>webconsole_clipboard_bytes_total{direction}</c>
/// (to_guest, from_guest), each with a <c>console</c> label; and
/// <c>webconsole_encode_duration_seconds</c>, a histogram over every console).
/// </summary>
/// <remarks>
/// The per-console series are observed from each console's own counts at every scrape, so a
/// console that is removed takes its series with it (an observable instrument exports only what
/// its callback reports; a synchronous one would export every console that ever existed, forever).
/// </remarks>
public sealed class ConsoleMetrics : IDisposable
{
    /// <summary>The meter's name, for <c>AddMeter</c> and listeners.</summary>
    public const string MeterName = "WebConsole";

    private readonly Meter _meter;
    private readonly ConcurrentDictionary<ConsoleMeter, byte> _consoles = new();

    public ConsoleMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(MeterName);
        // Counts carry no unit, so their Prometheus names stay plain (webconsole_frames_captured_total);
        // seconds and bytes do, and the exporter appends them (_seconds, _bytes).
        _meter.CreateObservableCounter("webconsole.frames.captured", () => Observe(static c => c.FramesCaptured), unit: null, description:
            "Frames read from a console's source that brought new pixels.");
        _meter.CreateObservableCounter("webconsole.rects.encoded", ObserveRects, unit: null, description:
            "Rectangles encoded, by kind: solid, png or jpeg.");
        _meter.CreateObservableCounter("webconsole.encodes", () => Observe(static c => c.Encodes), unit: null, description:
            "Updates classified and encoded.");
        _meter.CreateObservableCounter("webconsole.encode.time", () => Observe(static c => c.EncodeSeconds), "s",
            "Time spent classifying and encoding updates.");
        EncodeDuration = _meter.CreateHistogram<double>("webconsole.encode.duration", "s",
            "Time to classify and encode one update, every console together.", tags: null, advice: new InstrumentAdvice<double>
            {
                // From a 64x64 tile (tenths of a millisecond) to a full 4K frame (tenths of a second).
                HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
            });
        _meter.CreateObservableCounter("webconsole.sent", () => Observe(static c => c.BytesSent), "By",
            "Encoded payload bytes handed to viewers' connections (one update to three viewers counts three times).");
        _meter.CreateObservableCounter("webconsole.refresh.sent", () => Observe(static c => c.RefreshBytesSent), "By",
            "Of the bytes sent, those of lossless refreshes: areas sent as JPEG earlier, sent again as PNG once still.");
        _meter.CreateObservableCounter("webconsole.updates.merged", () => Observe(static c => c.UpdatesMerged), unit: null, description:
            "Updates a slow viewer did not get as they happened: their damage merged into its pending tiles.");
        _meter.CreateObservableCounter("webconsole.clipboard", ObserveClipboard, "By",
            "UTF-8 bytes of clipboard text, by direction: to_guest (set in the guest), from_guest (handed to viewers, once per viewer).");
        _meter.CreateObservableGauge("webconsole.viewers", () => Observe(static c => (long)c.Viewers()), unit: null, description: "Viewers watching a console now.");
    }

    internal Histogram<double> EncodeDuration { get; }

    /// <summary>The recorder of one console; <paramref name="viewers"/> is read on each scrape. Dispose it when the console goes.</summary>
    internal ConsoleMeter ForConsole(string id, Func<int> viewers)
    {
        var meter = new ConsoleMeter(this, id, viewers);
        _consoles[meter] = 0;
        return meter;
    }

    internal void Remove(ConsoleMeter meter) => _consoles.TryRemove(meter, out _);

    /// <summary>Consoles now measured (their series are exported).</summary>
    internal int Count => _consoles.Count;

    private IEnumerable<Measurement<long>> Observe(Func<ConsoleMeter, long> value)
    {
        foreach (ConsoleMeter console in _consoles.Keys)
        {
            yield return new Measurement<long>(value(console), console.Tags);
        }
    }

    private IEnumerable<Measurement<double>> Observe(Func<ConsoleMeter, double> value)
    {
        foreach (ConsoleMeter console in _consoles.Keys)
        {
            yield return new Measurement<double>(value(console), console.Tags);
        }
    }

    private IEnumerable<Measurement<long>> ObserveClipboard()
    {
        foreach (ConsoleMeter console in _consoles.Keys)
        {
            yield return new Measurement<long>(console.ClipboardToGuest, console.ToGuestTags);
            yield return new Measurement<long>(console.ClipboardFromGuest, console.FromGuestTags);
        }
    }

    private IEnumerable<Measurement<long>> ObserveRects()
    {
        foreach (ConsoleMeter console in _consoles.Keys)
        {
            for (int kind = 0; kind < ConsoleMeter.Kinds; kind++)
            {
                yield return new Measurement<long>(console.Rects(kind), console.KindTags(kind));
            }
        }
    }

    public void Dispose() => _meter.Dispose();
}
