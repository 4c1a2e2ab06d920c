using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using WebConsole.Telemetry;

namespace WebConsole.Sources.Qemu;

/// <summary>
/// The qemu consoles' series on the <c>WebConsole</c> meter, read from the sources at each scrape:
/// <c>webconsole_qemu_transport{console,transport=map|inline|none}</c> (1 for the current one),
/// <c>webconsole_qemu_inline_pixels_bytes_total</c> (pixel bytes that crossed the socket inside
/// Scanout/Update), <c>webconsole_qemu_updates_total{path=inline|map}</c> and
/// <c>webconsole_qemu_rejected_total</c> (messages from QEMU refused) and
/// <c>webconsole_qemu_clipboard_bytes_total{direction=to_guest|from_guest}</c> (clipboard text that crossed).
/// </summary>
internal sealed class QemuMetrics
{
    private static readonly string[] s_transports = ["map", "inline", "none"];

    private readonly ConcurrentDictionary<string, QemuSource> _sources = new(StringComparer.Ordinal);

    public QemuMetrics(IMeterFactory meters)
    {
        // The factory hands back the same Meter for the same name, so these join the exported meter.
        Meter meter = meters.Create(ConsoleMetrics.MeterName);
        meter.CreateObservableGauge("webconsole.qemu.transport", ObserveTransport, unit: null,
            description: "How a qemu console's pixels arrive: 1 for the current transport (map, inline or none).");
        meter.CreateObservableCounter("webconsole.qemu.inline_pixels", ObserveInlineBytes, unit: "By",
            description: "Pixel bytes received inside QEMU Scanout/Update messages (none on the map path after ScanoutMap).");
        meter.CreateObservableCounter("webconsole.qemu.updates", ObserveUpdates, unit: null,
            description: "Damage messages from QEMU, by path: inline (Update, with pixels) or map (UpdateMap, damage only).");
        meter.CreateObservableCounter("webconsole.qemu.rejected", ObserveRejections, unit: null,
            description: "Messages from QEMU refused: bad signatures, sizes, descriptors, unknown methods.");
        meter.CreateObservableCounter("webconsole.qemu.clipboard", ObserveClipboard, unit: "By",
            description: "Clipboard text (UTF-8 bytes) that crossed org.qemu.Display1.Clipboard, by direction: to_guest or from_guest.");
    }

    public void Add(string consoleId, QemuSource source) => _sources[consoleId] = source;

    /// <summary>The sources still serving a console; a disposed one (its console was removed or changed) is forgotten here.</summary>
    private IEnumerable<KeyValuePair<string, QemuSource>> Live()
    {
        foreach (KeyValuePair<string, QemuSource> pair in _sources)
        {
            if (pair.Value.IsDisposed)
            {
                _sources.TryRemove(pair);
                continue;
            }
            yield return pair;
        }
    }

    public void Remove(string consoleId, QemuSource source) => _sources.TryRemove(new KeyValuePair<string, QemuSource>(consoleId, source));

    private IEnumerable<Measurement<int>> ObserveTransport()
    {
        foreach ((string id, QemuSource source) in Live())
        {
            string current = source.Transport;
            foreach (string transport in s_transports)
            {
                yield return new Measurement<int>(transport == current ? 1 : 0,
                    new KeyValuePair<string, object?>("console", id), new KeyValuePair<string, object?>("transport", transport));
            }
        }
    }

    private IEnumerable<Measurement<long>> ObserveInlineBytes()
    {
        foreach ((string id, QemuSource source) in Live())
        {
            yield return new Measurement<long>(source.InlinePixelBytes, new KeyValuePair<string, object?>("console", id));
        }
    }

    private IEnumerable<Measurement<long>> ObserveUpdates()
    {
        foreach ((string id, QemuSource source) in Live())
        {
            yield return new Measurement<long>(source.InlineUpdates,
                new KeyValuePair<string, object?>("console", id), new KeyValuePair<string, object?>("path", "inline"));
            yield return new Measurement<long>(source.MapUpdates,
                new KeyValuePair<string, object?>("console", id), new KeyValuePair<string, object?>("path", "map"));
        }
    }

    private IEnumerable<Measurement<long>> ObserveRejections()
    {
        foreach ((string id, QemuSource source) in Live())
        {
            yield return new Measurement<long>(source.Rejections, new KeyValuePair<string, object?>("console", id));
        }
    }

    private IEnumerable<Measurement<long>> ObserveClipboard()
    {
        foreach ((string id, QemuSource source) in Live())
        {
            yield return new Measurement<long>(source.QemuClipboard.BytesToGuest,
                new KeyValuePair<string, object?>("console", id), new KeyValuePair<string, object?>("direction", "to_guest"));
            yield return new Measurement<long>(source.QemuClipboard.BytesFromGuest,
                new KeyValuePair<string, object?>("console", id), new KeyValuePair<string, object?>("direction", "from_guest"));
        }
    }
}
