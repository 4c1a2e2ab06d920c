using WebConsole.Region;
using WebConsole.Sources.X11;

namespace WebConsole.Tests.Sources;

public sealed class DamageSettleTests
{
    [Fact]
    public void SmallChanges_AreNotHeldBack()
    {
        Assert.Equal(TimeSpan.Zero, DamageSettle.After([new PixelRect(0, 0, 32, 32), new PixelRect(100, 100, 200, 16)], bytesPerPixel: 4));
    }

    [Fact]
    public void AnAreaXlibWouldSplit_WaitsForItsOtherRequests()
    {
        // 640x360x4 = 900 KB: XPutImage sends it as four requests of at most 256 KB.
        Assert.Equal(DamageSettle.Wait, DamageSettle.After([new PixelRect(320, 192, 640, 360)], bytesPerPixel: 4));
        Assert.Equal(TimeSpan.Zero, DamageSettle.After([new PixelRect(320, 192, 640, 50)], bytesPerPixel: 4));
    }
}
