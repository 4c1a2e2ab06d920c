using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using WebConsole.Sources.Qemu;
using WebConsole.Telemetry;

namespace WebConsole.Tests.Sources.Qemu;

public sealed class QemuMetricsTests
{
    [Fact]
    public void TransportAndInlineBytes_AreObservedOnTheWebConsoleMeter()
    {
        using ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new QemuMetrics(services.GetRequiredService<IMeterFactory>());
        string missing = Path.Combine(Path.GetTempPath(), $"webconsole-no-qmp-{Guid.NewGuid():N}.sock");
        using var source = new QemuSource(new QemuSourceTarget(QemuRoute.Qmp, missing, 0), 1 << 20, TimeProvider.System, NullLogger<QemuSource>.Instance);
        metrics.Add("vm", source);

        var seen = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ConsoleMetrics.MeterName && instrument.Name.StartsWith("webconsole.qemu.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        {
            string labels = string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}"));
            seen.Add($"{instrument.Name}{{{labels}}} {value}");
        }
        listener.SetMeasurementEventCallback<int>(Record);
        listener.SetMeasurementEventCallback<long>(Record);
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Contains("webconsole.qemu.transport{console=vm,transport=none} 1", seen);
        Assert.Contains("webconsole.qemu.transport{console=vm,transport=map} 0", seen);
        Assert.Contains("webconsole.qemu.inline_pixels{console=vm} 0", seen);
        Assert.Contains("webconsole.qemu.updates{console=vm,path=map} 0", seen);
        Assert.Contains("webconsole.qemu.rejected{console=vm} 0", seen);
        Assert.Contains("webconsole.qemu.clipboard{console=vm,direction=to_guest} 0", seen);
        Assert.Contains("webconsole.qemu.clipboard{console=vm,direction=from_guest} 0", seen);
    }
}
