using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using WebConsole.Region;
using WebConsole.Sources;
using WebConsole.Sources.X11;
using WebConsole.Testing;

namespace WebConsole.Tests.Sources;

/// <summary>The x11 source against real X servers (Xvfb, and TigerVNC's Xvnc), with <c>xwd -root</c> as the reference.</summary>
public sealed class X11SourceTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private static X11Source Open(Xvfb server) =>
        new(server.Display + ".0", TimeProvider.System, NullLogger<X11Source>.Instance, NullLogger<XTestInput>.Instance);

    [Theory]
    [InlineData("640x480x24")]
    [InlineData("320x240x16")]
    public void Xvfb_FrameEqualsWhatTheXServerShows(string screen)
    {
        using var xvfb = new Xvfb(screen);
        using X11Source source = Open(xvfb);
        xvfb.Run("xsetroot", "-solid", "#336699");
        xvfb.Spawn("xlogo", "-geometry", "120x100+30+40");
        PollUntilEqual(xvfb, source);
        Assert.True(source.UsesDamage, "DAMAGE is not in use");
        Assert.True(source.UsesShm, "MIT-SHM is not in use");

        xvfb.Run("xsetroot", "-solid", "#cc3311");
        PollUntilEqual(xvfb, source);
    }

    [Fact]
    public void Xvfb_SmallChangeWakesTheWaitAndIsReadAlone()
    {
        using var xvfb = new Xvfb("640x480x24");
        using X11Source source = Open(xvfb);
        xvfb.Run("xsetroot", "-solid", "#203040");
        PollUntilEqual(xvfb, source);

        var still = Stopwatch.StartNew();
        for (int i = 0; i < 3; i++)
        {
            source.WaitForUpdate(TimeSpan.FromMilliseconds(100));
            Assert.Equal(RegionChange.None, source.Poll() & RegionChange.Pixels);
        }
        Assert.True(still.ElapsedMilliseconds >= 270, $"3 waits of 100 ms on a still screen took {still.ElapsedMilliseconds} ms");

        var waited = Stopwatch.StartNew();
        xvfb.Spawn("xlogo", "-geometry", "40x40+300+100");
        source.WaitForUpdate(s_timeout);
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(5), $"the damage did not wake the wait ({waited.ElapsedMilliseconds} ms)");
        var damage = new List<PixelRect>();
        Eventually(() =>
        {
            source.Poll();
            damage.AddRange(source.Damage);
            return XvfbSourceTests.Difference(source, xvfb.RootPixels(out int w, out int h), w, h) is null;
        }, "the source never showed the new window");
        Assert.NotEmpty(damage);
        Assert.All(damage, r => Assert.True(r.Width * r.Height <= 80 * 80, $"damage {r} is larger than the window"));
    }

    [Fact]
    public void XvfbWithoutDamage_PollsTheWholeScreen()
    {
        using var xvfb = new Xvfb("320x240x24", extra: ["-extension", "DAMAGE"]);
        using X11Source source = Open(xvfb);
        xvfb.Run("xsetroot", "-solid", "#123456");
        PollUntilEqual(xvfb, source);
        Assert.False(source.UsesDamage);
        xvfb.Run("xsetroot", "-solid", "#654321");
        PollUntilEqual(xvfb, source);
    }

    [Fact]
    public void XServerRestart_SourceWaitsThenShowsTheNewServer()
    {
        using var xvfb = new Xvfb("320x200x24");
        using X11Source source = Open(xvfb);
        xvfb.Run("xsetroot", "-solid", "#102030");
        PollUntilEqual(xvfb, source);

        xvfb.Kill();
        RegionChange gone = source.Poll();
        Assert.True(gone.HasFlag(RegionChange.Restart), gone.ToString());
        Assert.Equal(RegionStatus.Waiting, source.Status);
        Thread.Sleep(600);
        source.Poll();
        Assert.Equal(RegionStatus.Waiting, source.Status);
        Assert.Contains("waiting for X server", source.Reason, StringComparison.Ordinal);

        xvfb.Start();
        xvfb.Run("xsetroot", "-solid", "#405060");
        PollUntilEqual(xvfb, source);
        Assert.True(source.UsesDamage);
    }

    [Fact]
    public void NoXServer_SourceIsWaitingWithAReason()
    {
        using var source = new X11Source(":987.0", TimeProvider.System, NullLogger<X11Source>.Instance, NullLogger<XTestInput>.Instance);
        source.Poll();
        Assert.Equal(RegionStatus.Waiting, source.Status);
        Assert.StartsWith("waiting for X server: cannot connect to X display :987.0 (", source.Reason, StringComparison.Ordinal);
        Assert.EndsWith("(is it running?)", source.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Xvnc_FrameCursorAndResize()
    {
        using var xvnc = Xvfb.Xvnc("640x480");
        using X11Source source = Open(xvnc);
        xvnc.Run("xsetroot", "-solid", "#336699", "-cursor_name", "left_ptr");
        PollUntilEqual(xvnc, source);

        // Xvnc does not draw the cursor into its framebuffer: XFixes gives it, and XTEST moves it.
        Assert.True(source.TrySendInput(new InputEvent(InputEventType.Pointer, 0, 0, 200, 150)));
        CursorState cursor = default;
        Eventually(() =>
        {
            source.Poll();
            return ((IFramebufferSource)source).TryGetCursor(out cursor, out _) && cursor.X == 200 && cursor.Y == 150;
        }, $"the cursor plane never showed the pointer at 200,150 (last {cursor})");
        Assert.True(cursor.Visible && cursor.Width > 0 && cursor.Height > 0, cursor.ToString());
        ((IFramebufferSource)source).TryGetCursor(out _, out ReadOnlySpan<byte> image);
        Assert.True(HasOpaquePixel(image, cursor), "the cursor image is empty");

        // RandR: the screen grows, and the source follows with a mode change.
        xvnc.Run("xrandr", "--fb", "800x600");
        RegionChange seen = PollUntilEqual(xvnc, source);
        Assert.Equal((800, 600), (source.Width, source.Height));
        Assert.True(seen.HasFlag(RegionChange.Mode), seen.ToString());
    }

    private static bool HasOpaquePixel(ReadOnlySpan<byte> image, CursorState cursor)
    {
        for (int y = 0; y < cursor.Height; y++)
        {
            for (int x = 0; x < cursor.Width; x++)
            {
                if (image[(y * RegionFormat.CursorMax + x) * 4 + 3] == 255)
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static void Eventually(Func<bool> condition, string message)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > s_timeout)
            {
                throw new Xunit.Sdk.XunitException(message);
            }
            Thread.Sleep(20);
        }
    }

    private static RegionChange PollUntilEqual(Xvfb server, X11Source source) => XvfbSourceTests.PollUntilEqual(server, source);
}
