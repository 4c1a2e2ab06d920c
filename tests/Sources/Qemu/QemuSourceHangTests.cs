using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WebConsole.Region;
using WebConsole.Sources.Qemu;
using WebConsole.Tests.Security;

namespace WebConsole.Tests.Sources.Qemu;

/// <summary>
/// Peers that accept and then hang at each stage (QMP greeting, D-Bus AUTH, RegisterListener, the
/// listener socket's AUTH) or send a line that never ends: the source says what did not answer and
/// after how long, retries with a growing backoff, and stops at once while the peer still hangs.
/// </summary>
public sealed class QemuSourceHangTests
{
    private static readonly TimeSpan s_short = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private static QemuSource Open(QemuHangingPeer peer, TimeSpan? peerTimeout, ILogger<QemuSource>? logger = null) =>
        new(peer.Target, new PixelBudget(1 << 20, 1 << 20), offerMap: true, TimeProvider.System,
            logger ?? NullLogger<QemuSource>.Instance, peerTimeout);

    [Theory]
    [InlineData(QemuHangingStage.QmpSilent, "QMP did not send its greeting within 0.4 s")]
    [InlineData(QemuHangingStage.QmpEndlessLine, "QMP line longer than 65536 bytes")]
    [InlineData(QemuHangingStage.BusSilent, "the bus did not answer AUTH within 0.4 s")]
    [InlineData(QemuHangingStage.BusEndlessAuthLine, "the bus answered AUTH with a line longer than 1024 bytes")]
    [InlineData(QemuHangingStage.BusNoRegisterReply, "QEMU did not answer RegisterListener within 0.4 s")]
    [InlineData(QemuHangingStage.BusListenerSilent, "QEMU on the listener socket did not answer AUTH within 0.4 s")]
    public void HangingPeer_StatusNamesWhatDidNotAnswer_AndRetriesWithBackoff(QemuHangingStage stage, string reason)
    {
        using var peer = new QemuHangingPeer(stage);
        var logs = new CapturedLogs();
        using var loggers = new LoggerFactory([logs]);
        using QemuSource source = Open(peer, s_short, loggers.CreateLogger<QemuSource>());
        // The listener's end shows as "QEMU went away (<why>)".
        string expected = $"waiting for producer: {reason}";
        string expectedGone = $"waiting for producer: QEMU went away ({reason})";
        var waited = Stopwatch.StartNew();
        while (peer.AcceptTimes().Length < 4 || (source.Reason != expected && source.Reason != expectedGone))
        {
            Assert.True(waited.Elapsed < s_timeout, $"{peer.AcceptTimes().Length} attempts; status {source.Status}: {source.Reason}");
            source.WaitForUpdate(TimeSpan.FromMilliseconds(10));
            source.Poll();
        }
        Assert.Equal(RegionStatus.Waiting, source.Status);
        // 250 ms doubling: the pause before each attempt is at least 250, 500, 1000 ms (the attempt's
        // own deadline comes on top). Lower bounds, so a stall of the machine that lengthens one gap
        // cannot make the next look short; a backoff that did not grow would give the third under 1 s.
        TimeSpan[] at = peer.AcceptTimes();
        for (int k = 0; k < 3; k++)
        {
            TimeSpan least = TimeSpan.FromMilliseconds((250 << k) - 30);
            Assert.True(at[k + 1] - at[k] >= least,
                $"attempts at {string.Join(", ", at.Select(t => (int)t.TotalMilliseconds))} ms do not back off (gap {k + 1} under {least.TotalMilliseconds} ms)");
        }
        // The log says it once, not once per attempt (a listener that ends after "connected" is logged with each disconnection).
        int mentions = logs.Entries.Count(e => e.Contains(reason, StringComparison.Ordinal) && !e.Contains(" scope: ", StringComparison.Ordinal));
        Assert.InRange(mentions, 1, stage == QemuHangingStage.BusListenerSilent ? 8 : 1);
    }

    /// <summary>
    /// With the real 5 s deadlines (so no timeout helps), a source blocked on each hanging peer is
    /// disposed; each Dispose returns well inside 5 s and its connection thread is gone, while a
    /// healthy console beside them keeps taking frames throughout.
    /// </summary>
    [Fact]
    public void Dispose_WhilePeersHang_ReturnsAtOnce_BesideAHealthyConsole()
    {
        using var healthyDisplay = new QemuFakeDisplay(isAbsolute: false);
        Assert.True(QemuSourceTarget.TryParse($"dbus=unix:path={healthyDisplay.Path}", out QemuSourceTarget? healthyTarget, out string? error), error);
        using var healthy = new QemuSource(healthyTarget!, 1 << 20, TimeProvider.System, NullLogger<QemuSource>.Instance);
        var waited = Stopwatch.StartNew();
        while (healthyDisplay.ListenerFd < 0)
        {
            Assert.True(waited.Elapsed < s_timeout, $"no listener: {healthy.Reason}");
            Thread.Sleep(10);
        }
        byte shade = 0x10;
        void Frame()
        {
            var writer = new DBusMessageWriter();
            writer.BeginMethodCall(shade, null, DBusNames.ListenerPath, DBusNames.ListenerInterface, "Scanout", "uuuuay", noReply: true);
            QemuListenerTests.WriteScanout(writer, 8, 8, 32, QemuPixelFormat.X8R8G8B8, QemuListenerTests.Fill(256, shade));
            Assert.Equal(0, QemuNative.Send(healthyDisplay.ListenerFd, writer.Finish()));
            byte want = shade;
            QemuSourceRealTests.PollUntil(healthy, () => healthy.Status == RegionStatus.Ready && healthy.Frame.Span[0] == want, $"the healthy console's frame 0x{want:x2}");
            healthy.ReleaseFrame();
            shade += 0x10;
        }
        Frame();

        var report = new List<string>();
        foreach (QemuHangingStage stage in Enum.GetValues<QemuHangingStage>())
        {
            using var peer = new QemuHangingPeer(stage);
            QemuSource source = Open(peer, peerTimeout: null);
            Assert.True(peer.Hanging.Wait(s_timeout), $"{stage}: the peer was never reached: {source.Reason}");
            Thread.Sleep(300); // the source is now blocked on the silent peer
            Frame();
            var disposing = Stopwatch.StartNew();
            source.Dispose();
            TimeSpan took = disposing.Elapsed;
            report.Add($"{stage}: {took.TotalMilliseconds:0} ms");
            Assert.True(took < TimeSpan.FromSeconds(1), $"{stage}: Dispose took {took.TotalMilliseconds:0} ms with the peer hanging");
            Assert.False(source.ConnectionThreadAlive, $"{stage}: the connection thread is still running");
            Frame();
        }
        Assert.Equal(RegionStatus.Ready, healthy.Status);
        Console.WriteLine($"Dispose with a hanging peer: {string.Join("; ", report)}");
    }
}
