using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using WebConsole.Region;
using WebConsole.Sources.Qemu;

namespace WebConsole.Tests.Sources.Qemu;

/// <summary>What the page's input becomes on QEMU's Keyboard and Mouse interfaces.</summary>
public sealed class QemuInputTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void KeysButtonsAndWheel_BecomeQemuNumbers_RelativeMouse()
    {
        string[] calls = Drive(isAbsolute: false);
        Assert.Equal(
        [
            "Keyboard.Press(1e)", "Keyboard.Release(1e)", "Keyboard.Press(9d)", "Keyboard.Release(9d)",
            // The first position only anchors relative motion; then the difference moves.
            "Mouse.RelMotion(5,-5)", "Mouse.Press(0)", "Mouse.Release(0)", "Mouse.Press(2)", "Mouse.Release(2)",
            "Mouse.Press(4)", "Mouse.Release(4)", "Mouse.Press(4)", "Mouse.Release(4)", "Mouse.Press(3)", "Mouse.Release(3)",
        ], calls);
    }

    [Fact]
    public void Pointer_IsAbsolute_WhenQemuSaysSo()
    {
        string[] calls = Drive(isAbsolute: true);
        Assert.Equal(
        [
            "Keyboard.Press(1e)", "Keyboard.Release(1e)", "Keyboard.Press(9d)", "Keyboard.Release(9d)",
            "Mouse.SetAbsPosition(10,20)", "Mouse.SetAbsPosition(15,15)", "Mouse.Press(0)", "Mouse.Release(0)",
            "Mouse.Press(2)", "Mouse.Release(2)",
            "Mouse.Press(4)", "Mouse.Release(4)", "Mouse.Press(4)", "Mouse.Release(4)", "Mouse.Press(3)", "Mouse.Release(3)",
        ], calls);
    }

    [Fact]
    public void Keys_ArePaced_SoTheGuestKeyboardQueueDoesNotOverflow()
    {
        using var fake = new QemuFakeDisplay(isAbsolute: false);
        using QemuSource source = ConnectedSource(fake);
        var typing = Stopwatch.StartNew();
        for (int i = 0; i < 20; i++)
        {
            Assert.True(source.TrySendInput(InputEvent.Key(30, i % 2 == 1)));
        }
        while (fake.Snapshot().Length < 21 && typing.Elapsed < s_timeout)
        {
            Thread.Sleep(5);
        }
        Assert.Equal(21, fake.Snapshot().Length);
        // 21 key events at least 8 ms apart: 160 ms or more (sent back to back they take well under 10 ms).
        Assert.True(typing.Elapsed >= QemuDisplayConnection.KeyInterval * 19, typing.Elapsed.ToString());
    }

    [Fact]
    public void InputWithoutQemu_IsRefused()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"webconsole-no-qmp-{Guid.NewGuid():N}.sock");
        using var source = new QemuSource(new QemuSourceTarget(QemuRoute.Qmp, missing, 0), 1 << 20, TimeProvider.System, NullLogger<QemuSource>.Instance);
        Assert.False(source.TrySendInput(InputEvent.Key(30, true)));
        var waited = Stopwatch.StartNew();
        while (source.Reason?.Contains("does not exist", StringComparison.Ordinal) != true && waited.Elapsed < s_timeout)
        {
            source.WaitForUpdate(TimeSpan.FromMilliseconds(20));
            source.Poll();
        }
        Assert.Equal(RegionStatus.Waiting, source.Status);
        Assert.Equal($"waiting for producer: {missing} does not exist", source.Reason);
    }

    /// <summary>A source on <paramref name="fake"/>'s bus, once it is connected: its first key (A down) went in.</summary>
    private static QemuSource ConnectedSource(QemuFakeDisplay fake)
    {
        Assert.True(QemuSourceTarget.TryParse($"dbus=unix:path={fake.Path}", out QemuSourceTarget? target, out string? error), error);
        var source = new QemuSource(target!, 1 << 20, TimeProvider.System, NullLogger<QemuSource>.Instance);
        var waited = Stopwatch.StartNew();
        while (!source.TrySendInput(InputEvent.Key(30, true)))
        {
            if (waited.Elapsed >= s_timeout)
            {
                string? reason = source.Reason;
                source.Dispose();
                Assert.Fail($"never connected: {reason}");
            }
            Thread.Sleep(10);
            source.Poll();
        }
        return source;
    }

    private static string[] Drive(bool isAbsolute)
    {
        using var fake = new QemuFakeDisplay(isAbsolute);
        using QemuSource source = ConnectedSource(fake);
        long dropsBefore = source.InputDrops;
        InputEvent[] events =
        [
            InputEvent.Key(30, false), InputEvent.Key(97, true), InputEvent.Key(97, false),
            InputEvent.Key(84, true), // no QEMU number: dropped
            InputEvent.Pointer(10, 20, 0), InputEvent.Pointer(15, 15, InputEvent.ButtonLeft), InputEvent.Pointer(15, 15, 0),
            InputEvent.Pointer(15, 15, InputEvent.ButtonRight), InputEvent.Pointer(15, 15, 0),
            InputEvent.Wheel(0, 200), InputEvent.Wheel(0, 40), InputEvent.Wheel(0, -120),
        ];
        foreach (InputEvent e in events)
        {
            Assert.True(source.TrySendInput(e));
        }
        int expected = isAbsolute ? 16 : 15;
        var waited = Stopwatch.StartNew();
        while (fake.Snapshot().Length < expected && waited.Elapsed < s_timeout)
        {
            Thread.Sleep(10);
        }
        Thread.Sleep(50);
        Assert.Equal(1, source.InputDrops - dropsBefore);
        return fake.Snapshot();
    }
}
