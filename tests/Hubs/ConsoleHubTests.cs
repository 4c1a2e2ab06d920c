using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using WebConsole.Hubs;
using WebConsole.Region;
using WebConsole.Tests.Region;

namespace WebConsole.Tests.Hubs;

/// <summary>The hub through its real handler: SignalR, MessagePack, capture, encoding, flow control.</summary>
public sealed class ConsoleHubTests : IAsyncLifetime
{
    private readonly TempRegion _region = new("hub");
    private RegionWriter _writer = null!;
    private ServerFactory _server = null!;

    public Task InitializeAsync()
    {
        _writer = HubScene.CreateRegion(_region.Path);
        _server = new ServerFactory(new()
        {
            ["Consoles:t:Source"] = "region:" + _region.Path,
            ["Consoles:missing:Source"] = "region:" + _region.Path + ".absent",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _writer.Dispose();
        _region.Dispose();
    }

    private void Change(PixelRect area, Func<int, int, uint> pixel)
    {
        SpinWait spin = default;
        Span<byte> pixels;
        while (!_writer.TryBeginFrame(out pixels))
        {
            spin.SpinOnce();
        }
        HubScene.Draw(pixels, _writer.Stride, area, pixel);
        _writer.Publish([area]);
    }

    private static void AssertScreen(TestViewer viewer, Func<int, int, uint> expected)
    {
        long jpegError = 0;
        for (int y = 0; y < HubScene.Height; y++)
        {
            for (int x = 0; x < HubScene.Width; x++)
            {
                uint want = expected(x, y), got = viewer.Canvas[y * HubScene.Width + x];
                if (x < HubScene.NoiseFrom)
                {
                    Assert.True(want == got, $"pixel {x},{y}: expected {want:X8}, got {got:X8}");
                }
                else
                {
                    for (int shift = 0; shift < 24; shift += 8)
                    {
                        jpegError += Math.Abs((int)((want >> shift) & 0xFF) - (int)((got >> shift) & 0xFF));
                    }
                }
            }
        }
        double meanError = jpegError / (3.0 * (HubScene.Width - HubScene.NoiseFrom) * HubScene.Height);
        Assert.True(meanError < 8, $"JPEG area mean error {meanError:F2}");
    }

    [Fact]
    public async Task Join_SendsResizeThenAFullFrame_WithExactLosslessPixels()
    {
        var (viewer, joined) = await TestViewer.JoinAsync(_server, "t");
        await using (viewer)
        {
            Assert.Equal(new JoinResult(HubScene.Width, HubScene.Height, "ready", null), joined);
            Assert.Equal(new ResizeMessage(HubScene.Width, HubScene.Height), await viewer.NextResizeAsync());
            UpdateMessage update = await viewer.NextUpdateAsync();
            Assert.Equal((long)HubScene.Width * HubScene.Height, update.Rects.Sum(r => (long)r.W * r.H));
            Assert.Contains(update.Rects, r => r.Kind == 2); // the noise went out as JPEG
            Assert.Contains(update.Rects, r => r.Kind is 0 or 1);
            AssertScreen(viewer, HubScene.Pixel);
        }
    }

    [Fact]
    public async Task SmallChange_SendsOnlyTheTilesThatChanged()
    {
        var (viewer, _) = await TestViewer.JoinAsync(_server, "t");
        await using (viewer)
        {
            await viewer.NextResizeAsync();
            await viewer.AckAsync(await viewer.NextUpdateAsync());

            var area = new PixelRect(100, 130, 40, 20);
            Func<int, int, uint> changed = (x, y) =>
                x >= area.X && x < area.Right && y >= area.Y && y < area.Bottom ? 0xFFFF8000u : HubScene.Pixel(x, y);
            Change(area, changed);
            UpdateMessage update = await viewer.NextUpdateAsync();
            // 100..140 x 130..150 lies in the 64x64 tiles starting at x 64 and y 128.
            Assert.All(update.Rects, r => Assert.True(r.X >= 64 && r.Right() <= 192 && r.Y >= 128 && r.Bottom() <= 192, $"{r}"));
            AssertScreen(viewer, changed);
        }
    }

    [Fact]
    public async Task SlowViewer_GetsAtMostTwoUpdatesInFlight_ThenTheLatestStateMerged()
    {
        var (fast, _) = await TestViewer.JoinAsync(_server, "t");
        var (slow, _) = await TestViewer.JoinAsync(_server, "t");
        await using (fast)
        await using (slow)
        {
            await fast.NextResizeAsync();
            await slow.NextResizeAsync();
            await fast.AckAsync(await fast.NextUpdateAsync());
            await slow.NextUpdateAsync(); // not acknowledged: one in flight

            uint colour = 0;
            Func<int, int, uint> current = HubScene.Pixel;
            for (int i = 0; i < 10; i++)
            {
                colour = 0xFF000000u | (uint)(i * 20) << 8;
                uint fill = colour;
                var area = new PixelRect(8 + i * 16, 300, 12, 12);
                Func<int, int, uint> previous = current;
                current = (x, y) => x >= area.X && x < area.Right && y >= area.Y && y < area.Bottom ? fill : previous(x, y);
                Change(area, current);
                await fast.AckAsync(await fast.NextUpdateAsync());
            }
            AssertScreen(fast, current);

            // The slow viewer got one more update (two in flight) and nothing else.
            UpdateMessage second = await slow.NextUpdateAsync();
            await Task.Delay(300);
            Assert.False(slow.TryTakeUpdate(out _), "a third update went out with two unacknowledged");

            // Acknowledging lets the merged damage through: one update, the latest pixels.
            await slow.AckAsync(second);
            UpdateMessage merged = await slow.NextUpdateAsync();
            Assert.True(merged.FrameId > second.FrameId);
            AssertScreen(slow, current);
        }
    }

    [Fact]
    public async Task Join_OfAnUnknownConsole_IsRefusedWithAReason()
    {
        await using var connection = _server.Connect();
        await connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var error = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<JoinResult>("Join", "nope").WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("unknown console 'nope'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Join_OfAConsoleWithoutProducer_SaysItIsWaiting()
    {
        var (viewer, joined) = await TestViewer.JoinAsync(_server, "missing");
        await using (viewer)
        {
            Assert.Equal("waiting", joined.State);
            Assert.Contains("does not exist", joined.Reason, StringComparison.Ordinal);
        }
    }
}

internal static class RectMessageExtensions
{
    public static int Right(this RectMessage r) => r.X + r.W;

    public static int Bottom(this RectMessage r) => r.Y + r.H;
}
