using System.Diagnostics;
using Microsoft.Extensions.Logging;
using WebConsole.Region;
using WebConsole.Sources.Qemu;
using WebConsole.Tests.Security;

namespace WebConsole.Tests.Sources.Qemu;

/// <summary>A QEMU owned by its guest, as the whole source sees it.</summary>
public sealed class QemuSourceHostileTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void FloodOfBadMessages_IsCounted_LoggedAFewTimes_AndTheConsoleStillWorks()
    {
        using var fake = new QemuFakeDisplay(isAbsolute: false);
        var logs = new CapturedLogs();
        using var loggers = new LoggerFactory([logs]);
        Assert.True(QemuSourceTarget.TryParse($"dbus=unix:path={fake.Path}", out QemuSourceTarget? target, out string? error), error);
        using var source = new QemuSource(target!, 1 << 20, TimeProvider.System, loggers.CreateLogger<QemuSource>());
        var waited = Stopwatch.StartNew();
        while (fake.ListenerFd < 0)
        {
            Assert.True(waited.Elapsed < s_timeout, $"no listener: {source.Reason}");
            Thread.Sleep(10);
        }
        var writer = new DBusMessageWriter();
        const int Flood = 3000;
        for (uint i = 1; i <= Flood; i++)
        {
            // Alternately an unknown method and a known one with the wrong arguments.
            writer.BeginMethodCall(i, null, DBusNames.ListenerPath, DBusNames.ListenerInterface, i % 2 == 0 ? "Explode" : "Update", "u", noReply: true);
            writer.WriteUInt32(i);
            Assert.Equal(0, QemuNative.Send(fake.ListenerFd, writer.Finish()));
        }
        writer.BeginMethodCall(Flood + 1, null, DBusNames.ListenerPath, DBusNames.ListenerInterface, "Scanout", "uuuuay", noReply: true);
        QemuListenerTests.WriteScanout(writer, 8, 8, 32, QemuPixelFormat.X8R8G8B8, QemuListenerTests.Fill(256, 0x60));
        Assert.Equal(0, QemuNative.Send(fake.ListenerFd, writer.Finish()));

        while (source.Status != RegionStatus.Ready && waited.Elapsed < s_timeout)
        {
            source.WaitForUpdate(TimeSpan.FromMilliseconds(20));
            source.Poll();
        }
        Assert.Equal(RegionStatus.Ready, source.Status);
        Assert.Equal(0x60, source.Frame.Span[0]);
        Assert.Equal(Flood, source.Rejections);
        int logged = logs.Entries.Count(e => e.Contains("rejected a message", StringComparison.Ordinal));
        Assert.InRange(logged, 1, 5);
    }
}
