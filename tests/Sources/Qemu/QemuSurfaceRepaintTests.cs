using WebConsole.Region;
using WebConsole.Sources.Qemu;

namespace WebConsole.Tests.Sources.Qemu;

/// <summary>
/// QEMU repaints what did not change (VGA text mode: the cursor's cell 30 times a second, even with
/// the cursor hidden). Such an update must not count as a change: a still screen then wakes no
/// capture loop (issue 19, "a still screen costs nothing").
/// </summary>
public sealed class QemuSurfaceRepaintTests
{
    private const uint X8R8G8B8 = 0x20020888;
    private const int Side = 128; // larger than the 64x64 compared on arrival

    private static byte[] Cell(byte shade)
    {
        var cell = new byte[9 * 16 * 4];
        cell.AsSpan().Fill(shade);
        return cell;
    }

    [Fact]
    public void InlineUpdate_OfThePixelsThere_IsNoChange_AndWakesNobody()
    {
        using var surface = new QemuSurface(Side * Side);
        var damage = new List<PixelRect>();
        Assert.Null(surface.ApplyScanout(Side, Side, Side * 4, X8R8G8B8, new byte[Side * Side * 4]));
        surface.Poll(damage);
        int woken = 0;
        surface.Changed += () => woken++;

        Assert.Null(surface.ApplyUpdate(9, 16, 9, 16, 9 * 4, X8R8G8B8, Cell(0))); // black on black
        Assert.Equal(0, woken);
        Assert.Equal(RegionChange.None, surface.Poll(damage) & RegionChange.Pixels);
        Assert.Equal(1, surface.UnchangedUpdates);

        Assert.Null(surface.ApplyUpdate(9, 16, 9, 16, 9 * 4, X8R8G8B8, Cell(0x80))); // a real change
        Assert.Equal(1, woken);
        Assert.NotEqual(RegionChange.None, surface.Poll(damage) & RegionChange.Pixels);
        Assert.Equal([new PixelRect(9, 16, 9, 16)], damage);
        Assert.Equal(0x80, surface.Frame.Span[(16 * Side + 9) * 4]);

        Assert.Null(surface.ApplyUpdate(9, 16, 9, 16, 9 * 4, X8R8G8B8, Cell(0x80))); // the same again
        Assert.Equal(1, woken);
        Assert.Equal(2, surface.UnchangedUpdates);
    }

    [Fact]
    public void MapUpdate_OfThePixelsThere_IsNoChange_UntilTheMemfdChanges()
    {
        using var surface = new QemuSurface(Side * Side);
        var damage = new List<PixelRect>();
        int fd = QemuTestPeer.CreateMemfd(new byte[Side * Side * 4], seal: true);
        Assert.Null(surface.ApplyScanoutMap(Tmds.Linux.LibC.dup(fd), 0, Side, Side, Side * 4, X8R8G8B8));
        surface.Poll(damage);
        int woken = 0;
        surface.Changed += () => woken++;
        try
        {
            Assert.Null(surface.ApplyUpdateMap(0, 0, 9, 16)); // QEMU repaints the cell: nothing new
            Assert.Equal(0, woken);
            Assert.Equal(1, surface.UnchangedUpdates);

            QemuTestPeer.WriteAt(fd, 0, Cell(0x40).AsSpan(0, 9 * 4)); // the guest changes a row
            Assert.Null(surface.ApplyUpdateMap(0, 0, 9, 16));
            Assert.Equal(1, woken);
            Assert.NotEqual(RegionChange.None, surface.Poll(damage) & RegionChange.Pixels);
            Assert.Equal(0x40, surface.Frame.Span[0]);

            Assert.Null(surface.ApplyUpdateMap(0, 0, 9, 16)); // shown now: a repaint again
            Assert.Equal(1, woken);

            Assert.Null(surface.ApplyUpdateMap(0, 0, Side, Side)); // too large to compare here: the loop compares
            Assert.Equal(2, woken);
        }
        finally
        {
            QemuNative.Close(fd);
        }
    }
}
