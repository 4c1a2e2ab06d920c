using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using WebConsole.Region;
using WebConsole.Sources.Qemu;

namespace WebConsole.Tests.Sources.Qemu;

/// <summary>The qemu source against a real QEMU 7.2 (Debian's), connected through its QMP socket.</summary>
public sealed class QemuSourceRealTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(20);

    private static QemuSource Open(SeaBiosQemu qemu) =>
        new(new QemuSourceTarget(QemuRoute.Qmp, qemu.QmpSocket, 0), 8192L * 8192, TimeProvider.System, NullLogger<QemuSource>.Instance);

    [Fact]
    public void RealQemu_ThroughQmp_ShowsSeaBiosAndTakesAKey()
    {
        using var qemu = new SeaBiosQemu();
        using QemuSource source = Open(qemu);
        // VGA text mode is 720x400; QEMU 7.2's first Scanout is a stale 640x480 that the source replaces.
        PollUntil(source, () => source.Status == RegionStatus.Ready && source.Width == 720 && source.Height == 400 && CountLit(source) > 1000,
            "SeaBIOS's text screen at 720x400");
        Assert.Equal("inline", source.Transport);
        AssertEscOpensTheBootMenu(source);
        Assert.Equal(0, source.InputDrops);
    }

    [Fact]
    public void RealQemu_OnABus_ShowsSeaBiosAndTakesAKey()
    {
        using var qemu = new SeaBiosQemu(onBus: true);
        Assert.True(QemuSourceTarget.TryParse($"dbus=unix:path={qemu.BusSocket}", out QemuSourceTarget? target, out string? error), error);
        using var source = new QemuSource(target!, 8192L * 8192, TimeProvider.System, NullLogger<QemuSource>.Instance);
        PollUntil(source, () => source.Status == RegionStatus.Ready && source.Width == 720 && CountLit(source) > 1000, "SeaBIOS through the bus");
        AssertEscOpensTheBootMenu(source);
    }

    /// <summary>
    /// Esc at SeaBIOS's "Press ESC for boot menu" prompt: "Select boot device:" and a list appear
    /// (hundreds of lit pixels more; the blinking cursor alone is a few dozen); QEMU sent nothing refused.
    /// </summary>
    private static void AssertEscOpensTheBootMenu(QemuSource source)
    {
        Thread.Sleep(300);
        source.Poll();
        int before = CountLit(source);
        Assert.True(source.TrySendInput(InputEvent.Key(1, true)));
        Assert.True(source.TrySendInput(InputEvent.Key(1, false)));
        PollUntil(source, () => CountLit(source) > before + 500, "the boot menu after Esc");
        Assert.Equal(0, source.Rejections);
    }

    [Fact]
    public void RealQemu_KilledAndRestarted_SourceWaitsThenComesBack()
    {
        using var qemu = new SeaBiosQemu();
        using QemuSource source = Open(qemu);
        PollUntil(source, () => source.Status == RegionStatus.Ready, "ready");
        qemu.Kill();
        PollUntil(source, () => source.Status == RegionStatus.Waiting, "waiting after QEMU was killed");
        Assert.StartsWith("waiting for producer", source.Reason, StringComparison.Ordinal);
        qemu.Start();
        PollUntil(source, () => source.Status == RegionStatus.Ready && CountLit(source) > 100, "ready again after the restart");
    }

    internal static void PollUntil(QemuSource source, Func<bool> done, string what)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < s_timeout)
        {
            source.WaitForUpdate(TimeSpan.FromMilliseconds(50));
            source.Poll();
            if (done())
            {
                return;
            }
        }
        Assert.Fail($"timed out waiting for {what}: status {source.Status}, reason {source.Reason}, {source.Width}x{source.Height}, transport {source.Transport}, rejections {source.Rejections}");
    }

    internal static int CountLit(QemuSource source)
    {
        ReadOnlySpan<byte> frame = source.Frame.Span;
        int lit = 0;
        for (int i = 0; i + 3 < frame.Length; i += 4)
        {
            if ((frame[i] | frame[i + 1] | frame[i + 2]) != 0)
            {
                lit++;
            }
        }
        return lit;
    }
}
