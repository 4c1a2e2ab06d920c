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
        PollUntil(source, () => source.Status == RegionStatus.Ready && CountLit(source) > 100, "a ready frame with text");
        Assert.Equal("inline", source.Transport);
        Assert.True(source.Width >= 640, $"{source.Width}x{source.Height}");
        byte[] before = source.Frame.ToArray();

        // Esc at SeaBIOS's "Press ESC for boot menu" prompt: the boot menu replaces the prompt.
        Assert.True(source.TrySendInput(InputEvent.Key(1, true)));
        Assert.True(source.TrySendInput(InputEvent.Key(1, false)));
        PollUntil(source, () => source.Status == RegionStatus.Ready && !source.Frame.Span.SequenceEqual(before), "the boot menu after Esc");
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
