using Microsoft.Extensions.Logging.Abstractions;
using WebConsole.Region;
using WebConsole.Sources.Xwd;
using WebConsole.Sources;
using WebConsole.Testing;

namespace WebConsole.Tests.Sources;

/// <summary>The xwd-shm source against a real <c>Xvfb -shmem</c> and against segments the test writes.</summary>
public sealed class XvfbShmSourceTests
{
    private static XwdSource Open(XwdShmTarget target) =>
        new(new XwdShmStore(target, TimeProvider.System), null, TimeProvider.System, NullLogger<XwdSource>.Instance);

    private static XwdSource OpenDisplay(Xvfb xvfb, int screen = 0) => Open(new XwdShmTarget(xvfb.Number, screen, null));

    [Fact]
    public void XvfbShmem_FoundByDisplay_FrameEqualsWhatTheXServerShows()
    {
        using var xvfb = new Xvfb("320x240x24", shmem: true);
        using XwdSource source = OpenDisplay(xvfb);
        xvfb.Run("xsetroot", "-solid", "#336699");
        XvfbSourceTests.PollUntilEqual(xvfb, source);
        Assert.Equal(RegionStatus.Ready, source.Status);
        Assert.Equal($"xwd-shm::{xvfb.Number}.0", source.Path);

        // A change: another root colour is seen.
        xvfb.Run("xsetroot", "-solid", "#cc3311");
        RegionChange seen = XvfbSourceTests.PollUntilEqual(xvfb, source);
        Assert.True(seen.HasFlag(RegionChange.Pixels), seen.ToString());
    }

    [Fact]
    public void XvfbShmem_FoundByShmId_FrameEqualsWhatTheXServerShows()
    {
        using var xvfb = new Xvfb("320x240x16", shmem: true);
        using XwdSource source = Open(new XwdShmTarget(null, 0, xvfb.ShmId));
        xvfb.Run("xsetroot", "-solid", "#40c080");
        XvfbSourceTests.PollUntilEqual(xvfb, source);
    }

    [Fact]
    public void XvfbShmem_ScreenItDoesNotHave_Waits()
    {
        using var xvfb = new Xvfb("320x240x24", shmem: true);
        using XwdSource source = OpenDisplay(xvfb, screen: 1);
        source.Poll();
        Assert.Equal(RegionStatus.Waiting, source.Status);
        Assert.Equal($"waiting for producer: Xvfb :{xvfb.Number} has no -shmem screen 1", source.Reason);
    }

    [Fact]
    public void XvfbShmem_TwoScreens_EachSourceReadsItsOwn()
    {
        using var xvfb = new Xvfb("320x240x24", shmem: true, screen1: "160x120x16");
        using XwdSource screen0 = OpenDisplay(xvfb, 0);
        using XwdSource screen1 = OpenDisplay(xvfb, 1);
        PollUntilReady(screen0);
        PollUntilReady(screen1);
        Assert.Equal((320, 240, 24), (screen0.Width, screen0.Height, screen0.Header.Depth));
        Assert.Equal((160, 120, 16), (screen1.Width, screen1.Height, screen1.Header.Depth));
    }

    [Fact]
    public void XvfbShmemRestart_SourceWaitsThenFindsTheNewSegment()
    {
        using var xvfb = new Xvfb("320x240x24", shmem: true);
        using XwdSource source = OpenDisplay(xvfb);
        xvfb.Run("xsetroot", "-solid", "#102030");
        XvfbSourceTests.PollUntilEqual(xvfb, source);
        int firstSegment = xvfb.ShmId;

        // Xvfb leaves its segment behind when it exits: the source sees its creator gone.
        xvfb.Kill();
        source.Poll();
        Assert.Equal(RegionStatus.Waiting, source.Status);
        Assert.Equal($"waiting for producer: Xvfb :{xvfb.Number} has no -shmem screen 0", source.Reason);

        xvfb.Start();
        Assert.NotEqual(firstSegment, xvfb.ShmId);
        xvfb.Run("xsetroot", "-solid", "#405060");
        RegionChange seen = XvfbSourceTests.PollUntilEqual(xvfb, source);
        Assert.Equal(RegionStatus.Ready, source.Status);
        Assert.True(seen.HasFlag(RegionChange.Status), seen.ToString());
    }

    [Fact]
    public void GarbageSegment_IsInvalidAndPollNeverThrows()
    {
        using var segment = new SysVSegment(4096);
        new Random(7).NextBytes(segment.Bytes);
        using XwdSource source = Open(new XwdShmTarget(null, 0, segment.Id));
        source.Poll();
        Assert.Equal(RegionStatus.Invalid, source.Status);
        Assert.StartsWith("invalid xwd: ", source.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void SegmentShorterThanItsHeaderSays_IsInvalid()
    {
        XwdFile image = XwdFile.Depth24(64, 64);
        byte[] bytes = image.ToBytes();
        using var segment = new SysVSegment(bytes.Length - 100);
        bytes.AsSpan(0, segment.Size).CopyTo(segment.Bytes);
        using XwdSource source = Open(new XwdShmTarget(null, 0, segment.Id));
        source.Poll();
        Assert.Equal(RegionStatus.Invalid, source.Status);
        Assert.StartsWith("invalid xwd: ", source.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void WrittenSegment_IsShownAndItsRemovalWaits()
    {
        XwdFile image = XwdFile.Depth24(16, 8);
        image.Set24(3, 2, 0x336699);
        byte[] bytes = image.ToBytes();
        var segment = new SysVSegment(bytes.Length);
        bytes.CopyTo(segment.Bytes);
        using XwdSource source = Open(new XwdShmTarget(null, 0, segment.Id));
        Assert.True(source.Poll().HasFlag(RegionChange.Pixels));
        Assert.Equal(RegionStatus.Ready, source.Status);
        Assert.Equal(0x336699u, BitConverter.ToUInt32(source.Frame.Span[((2 * 16 + 3) * 4)..]) & 0xFFFFFF);

        int id = segment.Id;
        segment.Dispose();
        source.Poll();
        Assert.Equal(RegionStatus.Waiting, source.Status);
        Assert.Equal($"waiting for producer: there is no shared memory segment {id}", source.Reason);
    }

    /// <summary>Xvfb prints a screen's shmid before it has drawn it: poll until the source is ready.</summary>
    private static void PollUntilReady(XwdSource source)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        source.Poll();
        while (source.Status != RegionStatus.Ready && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(20);
            source.Poll();
        }
        Assert.True(source.Status == RegionStatus.Ready, $"{source.Path}: {source.Status}: {source.Reason}");
    }
}
