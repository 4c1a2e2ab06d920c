using Microsoft.Extensions.Logging.Abstractions;
using WebConsole.Region;
using WebConsole.Sources.Region;
using WebConsole.Sources.Xwd;
using WebConsole.Sources;
using WebConsole.Tests.Region;

namespace WebConsole.Tests.Sources;

/// <summary>
/// Streaming:MaxPixels and Streaming:MaxTotalPixels as every source applies them: a mode over the
/// budget is refused before anything is allocated for it, and what a source frees is free for others.
/// </summary>
public sealed class PixelBudgetTests
{
    private static RegionWriter Region(TempRegion temp, int width, int height)
    {
        RegionWriter writer = RegionWriter.Create(temp.Path, new RegionWriterOptions { Width = width, Height = height, BufferCount = 1 });
        writer.PublishFull();
        return writer;
    }

    [Fact]
    public void RegionOverTheConsoleLimit_IsInvalid_WithTheLimitInTheReason()
    {
        using var temp = new TempRegion("budget");
        using RegionWriter writer = Region(temp, 300, 200);
        var budget = new PixelBudget(perConsole: 100 * 100, total: 1_000_000);
        using var source = new RegionSource(temp.Path, budget);
        source.Poll();
        Assert.Equal(RegionStatus.Invalid, source.Status);
        Assert.Equal("invalid region: 300x200 is over the configured limit of 10000 pixels (Streaming:MaxPixels)", source.Reason);
        Assert.Equal(0, source.Width);
        Assert.Equal(0, budget.InUse);
    }

    [Fact]
    public void SecondConsoleOverTheServerBudget_WaitsUntilTheFirstReleasesItsFrame()
    {
        using var tempA = new TempRegion("budget-a");
        using var tempB = new TempRegion("budget-b");
        using RegionWriter a = Region(tempA, 200, 100), b = Region(tempB, 200, 100);
        var budget = new PixelBudget(perConsole: 20_000, total: 30_000);
        using var first = new RegionSource(tempA.Path, budget);
        using var second = new RegionSource(tempB.Path, budget);

        first.Poll();
        Assert.Equal(RegionStatus.Ready, first.Status);
        Assert.Equal(20_000, budget.InUse);
        second.Poll();
        Assert.Equal(RegionStatus.Invalid, second.Status);
        Assert.StartsWith("invalid region: 200x100 would take the server over its budget of 30000 pixels for all consoles (Streaming:MaxTotalPixels", second.Reason, StringComparison.Ordinal);

        first.ReleaseFrame();
        Assert.Equal(0, budget.InUse);
        second.Poll();
        Assert.Equal(RegionStatus.Ready, second.Status);
        Assert.Equal(200, second.Width);
        first.Poll(); // now the first one waits for the second
        Assert.Equal(RegionStatus.Invalid, first.Status);
    }

    [Fact]
    public void XwdOverTheConsoleLimit_IsInvalid_AndReleasedSourcesReadAgain()
    {
        using var temp = new TempXwd();
        XwdFile.Depth24(64, 48).WriteTo(temp.Path);
        var budget = new PixelBudget(perConsole: 64 * 48, total: 64 * 48);
        using var source = new XwdSource(temp.Path, input: null, TimeProvider.System, NullLogger<XwdSource>.Instance, budget);
        Assert.True((source.Poll() & RegionChange.Pixels) != 0);
        Assert.Equal(64 * 48, budget.InUse);
        source.ReleaseFrame();
        Assert.Equal(0, budget.InUse);
        Assert.True((source.Poll() & RegionChange.Pixels) != 0, "a released source reads a whole frame again");
        Assert.Equal((64, 48), (source.Width, source.Height));

        XwdFile.Depth24(65, 48).WriteTo(temp.Path);
        source.Poll();
        Assert.Equal(RegionStatus.Invalid, source.Status);
        Assert.Equal("invalid xwd: 65x48 is over the configured limit of 3072 pixels (Streaming:MaxPixels)", source.Reason);
        Assert.Equal(0, budget.InUse);
    }
}
