using WebConsole.Region;
using WebConsole.Sources.Qemu;

namespace WebConsole.Tests.Sources.Qemu;

/// <summary>A QEMU console reserves its surfaces from the server's one pixel budget, like every source.</summary>
public sealed class QemuSurfaceBudgetTests
{
    private const uint X8R8G8B8 = 0x20020888;

    [Fact]
    public void Scanout_OverTheServerBudget_IsRefused_UntilAnotherConsoleGivesItsPixelsBack()
    {
        var budget = new PixelBudget(perConsole: 100 * 100, total: 150 * 100);
        byte[] pixels = new byte[100 * 100 * 4];
        var first = new QemuSurface(budget);
        using var second = new QemuSurface(budget);

        Assert.Null(first.ApplyScanout(100, 100, 400, X8R8G8B8, pixels));
        Assert.Equal(100 * 100, budget.InUse);
        string? refused = second.ApplyScanout(100, 100, 400, X8R8G8B8, pixels);
        Assert.NotNull(refused);
        Assert.StartsWith("100x100 would take the server over its budget of 15000 pixels for all consoles (Streaming:MaxTotalPixels", refused, StringComparison.Ordinal);

        first.Dispose();
        Assert.Equal(0, budget.InUse);
        Assert.Null(second.ApplyScanout(100, 100, 400, X8R8G8B8, pixels));
        Assert.Equal("100x101 is over the configured limit of 10000 pixels (Streaming:MaxPixels)",
            second.ApplyScanout(100, 101, 400, X8R8G8B8, new byte[100 * 101 * 4]));
        Assert.Equal(0, budget.InUse); // a refused mode holds nothing
    }
}
