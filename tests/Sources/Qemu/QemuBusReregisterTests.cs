using Microsoft.Extensions.Logging;
using WebConsole.Region;
using WebConsole.Sources.Qemu;
using WebConsole.Tests.Security;

namespace WebConsole.Tests.Sources.Qemu;

/// <summary>QEMU 7.2 on a private bus (a real dbus-daemon), where the stale first Scanout makes the source register again.</summary>
public sealed class QemuBusReregisterTests
{
    private const int Rounds = 4;

    /// <summary>
    /// Each fresh QEMU 7.2 shows SeaBIOS's 720x400 text screen after a stale 640x480 Scanout, so
    /// every restart makes the source register a second listener on the same bus connection.
    /// Every registration must succeed the first time: no RegisterListener error, no retry.
    /// </summary>
    [Fact]
    public void Bus_StaleScanoutReregister_PassesASocketEveryTime()
    {
        using var qemu = new SeaBiosQemu(onBus: true);
        Assert.True(QemuSourceTarget.TryParse($"dbus=unix:path={qemu.BusSocket}", out QemuSourceTarget? target, out string? error), error);
        var logs = new CapturedLogs();
        using var loggers = new LoggerFactory([logs]);
        using var source = new QemuSource(target!, 8192L * 8192, TimeProvider.System, loggers.CreateLogger<QemuSource>());
        for (int round = 0; round < Rounds; round++)
        {
            if (round > 0)
            {
                qemu.Kill();
                QemuSourceRealTests.PollUntil(source, () => source.Status == RegionStatus.Waiting, $"round {round}: waiting after QEMU was killed");
                qemu.Start();
            }
            QemuSourceRealTests.PollUntil(source, () => source.Status == RegionStatus.Ready && source.Width == 720 && source.Height == 400,
                $"round {round}: SeaBIOS at 720x400");
        }
        string[] entries = [.. logs.Entries];
        int again = entries.Count(e => e.Contains("registering again", StringComparison.Ordinal));
        Assert.True(again >= Rounds, $"{again} stale-Scanout registrations in {Rounds} rounds:\n{logs.All}");
        Assert.DoesNotContain(entries, e => e.Contains("RegisterListener", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Contains("non-socket", StringComparison.Ordinal));
        Assert.Equal(0, source.Rejections);
    }
}
