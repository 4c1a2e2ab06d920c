using System.Buffers.Binary;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using WebConsole.Region;
using WebConsole.Sources.Xwd;
using WebConsole.Sources;
using WebConsole.Testing;

namespace WebConsole.Tests.Sources;

/// <summary>The xwd source against a real Xvfb, with <c>xwd -root</c> as the reference.</summary>
public sealed class XvfbSourceTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private static XwdSource Open(string path) => new(path, null, TimeProvider.System, NullLogger<XwdSource>.Instance);

    [Theory]
    [InlineData("640x480x24")]
    [InlineData("320x240x16")]
    public void Xvfb_FrameEqualsWhatTheXServerShows(string screen)
    {
        using var xvfb = new Xvfb(screen);
        using XwdSource source = Open(xvfb.ScreenFile);
        xvfb.Run("xsetroot", "-solid", "#336699");
        xvfb.Spawn("xlogo", "-geometry", "120x100+30+40");
        PollUntilEqual(xvfb, source);
        Assert.Equal(RegionStatus.Ready, source.Status);

        // A change: another root colour is seen, only as the rows that changed.
        xvfb.Run("xsetroot", "-solid", "#cc3311");
        PollUntilEqual(xvfb, source);
    }

    [Fact]
    public void XvfbRestart_SourceWaitsThenShowsTheNewServer()
    {
        using var xvfb = new Xvfb("320x200x24");
        using XwdSource source = Open(xvfb.ScreenFile);
        xvfb.Run("xsetroot", "-solid", "#102030");
        PollUntilEqual(xvfb, source);

        xvfb.Kill();
        source.Poll();
        Assert.Equal(RegionStatus.Waiting, source.Status);
        Assert.Contains("does not exist", source.Reason, StringComparison.Ordinal);

        xvfb.Start();
        xvfb.Run("xsetroot", "-solid", "#405060");
        RegionChange seen = PollUntilEqual(xvfb, source);
        Assert.Equal(RegionStatus.Ready, source.Status);
        Assert.True(seen.HasFlag(RegionChange.Status), seen.ToString());
    }

    /// <summary>Polls until the frame equals the root window; returns every change flag seen on the way.</summary>
    internal static RegionChange PollUntilEqual(Xvfb xvfb, IFramebufferSource source)
    {
        var waited = Stopwatch.StartNew();
        RegionChange seen = RegionChange.None;
        string? difference = null;
        while (waited.Elapsed < s_timeout)
        {
            seen |= source.Poll();
            uint[] root = xvfb.RootPixels(out int width, out int height);
            seen |= source.Poll();
            difference = Difference(source, root, width, height);
            if (difference is null)
            {
                return seen;
            }
            Thread.Sleep(50);
        }
        throw new Xunit.Sdk.XunitException($"the source never showed the X screen: {difference} (status {source.Status}: {source.Reason})");
    }

    internal static string? Difference(IFramebufferSource source, uint[] root, int width, int height)
    {
        if (source.Status != RegionStatus.Ready || source.Width != width || source.Height != height)
        {
            return $"source is {source.Width}x{source.Height}, the screen {width}x{height}";
        }
        ReadOnlySpan<byte> frame = source.Frame.Span;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                uint got = BinaryPrimitives.ReadUInt32LittleEndian(frame[(y * source.Stride + x * 4)..]) & 0xFFFFFF;
                if (got != root[y * width + x])
                {
                    return $"({x},{y}) is {got:X6}, the X server shows {root[y * width + x]:X6}";
                }
            }
        }
        return null;
    }
}
