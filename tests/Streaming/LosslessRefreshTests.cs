using WebConsole.Hubs;
using WebConsole.Region;
using WebConsole.Tests.Hubs;
using WebConsole.Tests.Region;

namespace WebConsole.Tests.Streaming;

/// <summary>Through the real hub: areas sent as JPEG are sent again losslessly once still, and the viewer ends up exact.</summary>
public sealed class LosslessRefreshTests : IAsyncLifetime
{
    private readonly TempRegion _region = new("refresh");
    private RegionWriter _writer = null!;

    public Task InitializeAsync()
    {
        _writer = HubScene.CreateRegion(_region.Path); // its right half is photo-like: JPEG
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _writer.Dispose();
        _region.Dispose();
        return Task.CompletedTask;
    }

    private ServerFactory Server(string refreshAfterMs) => new(new()
    {
        ["Consoles:t:Source"] = "region:" + _region.Path,
        ["Streaming:RefreshAfterMs"] = refreshAfterMs,
    });

    [Fact]
    public async Task JpegArea_IsSentAgainAsPngOnceStill_AndTheViewerIsExact()
    {
        await using ServerFactory server = Server("150");
        var (viewer, _) = await TestViewer.JoinAsync(server, "t");
        await using (viewer)
        {
            await viewer.NextResizeAsync();
            UpdateMessage first = await viewer.NextUpdateAsync();
            Assert.Contains(first.Rects, r => r.Kind == 2);
            Assert.InRange(first.Quality, 1, 100);
            Assert.False(first.Refresh);
            await viewer.AckAsync(first);

            var jpegTiles = new HashSet<(int, int)>();
            foreach (RectMessage r in first.Rects.Where(r => r.Kind == 2))
            {
                for (int y = r.Y; y < r.Y + r.H; y += 64)
                {
                    for (int x = r.X; x < r.X + r.W; x += 64)
                    {
                        jpegTiles.Add((x / 64, y / 64));
                    }
                }
            }
            var refreshed = new HashSet<(int, int)>();
            while (refreshed.Count < jpegTiles.Count)
            {
                UpdateMessage refresh = await viewer.NextUpdateAsync(includeRefresh: true);
                Assert.True(refresh.Refresh, "a live update on a still screen");
                Assert.All(refresh.Rects, r => Assert.NotEqual((byte)2, r.Kind));
                foreach (RectMessage r in refresh.Rects)
                {
                    Assert.True(r.W * r.H <= 16 * 64 * 64, $"a refresh slice of {r.W}x{r.H}");
                    for (int y = r.Y; y < r.Y + r.H; y += 64)
                    {
                        for (int x = r.X; x < r.X + r.W; x += 64)
                        {
                            Assert.Contains((x / 64, y / 64), jpegTiles); // only what was lossy
                            refreshed.Add((x / 64, y / 64));
                        }
                    }
                }
                await viewer.AckAsync(refresh);
            }
            for (int y = 0; y < HubScene.Height; y++)
            {
                for (int x = 0; x < HubScene.Width; x++)
                {
                    Assert.Equal(HubScene.Pixel(x, y) & 0xFFFFFF, viewer.Canvas[y * HubScene.Width + x] & 0xFFFFFF);
                }
            }
            // Settled: nothing more comes while the screen stays still.
            await Assert.ThrowsAsync<TimeoutException>(() => viewer.NextUpdateAsync(TimeSpan.FromMilliseconds(700), includeRefresh: true));
        }
    }

    [Fact]
    public async Task RefreshAfterZero_TurnsTheRefreshOff()
    {
        await using ServerFactory server = Server("0");
        var (viewer, _) = await TestViewer.JoinAsync(server, "t");
        await using (viewer)
        {
            await viewer.NextResizeAsync();
            await viewer.AckAsync(await viewer.NextUpdateAsync());
            await Assert.ThrowsAsync<TimeoutException>(() => viewer.NextUpdateAsync(TimeSpan.FromMilliseconds(800), includeRefresh: true));
        }
    }
}
