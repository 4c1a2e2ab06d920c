using System.Net;
using WebConsole.Hubs;
using WebConsole.Region;
using WebConsole.Tests.Hubs;
using WebConsole.Tests.Region;

namespace WebConsole.Tests.Telemetry;

/// <summary>
/// <c>GET /metrics</c> through the real server: frames streamed to viewers move the WebConsole
/// meter's series, per console, in Prometheus text format.
/// </summary>
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private static readonly TimeSpan s_scrapeTimeout = TimeSpan.FromSeconds(10);
    private readonly TempRegion _region = new("metrics");
    private RegionWriter _writer = null!;
    private ServerFactory _server = null!;

    public Task InitializeAsync()
    {
        _writer = HubScene.CreateRegion(_region.Path);
        _server = new ServerFactory(new()
        {
            ["Consoles:m:Source"] = "region:" + _region.Path,
            ["Consoles:idle:Source"] = "region:" + _region.Path + ".absent",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _writer.Dispose();
        _region.Dispose();
    }

    [Fact]
    public async Task Metrics_CountFramesRectsBytesViewersAndMergedUpdates_PerConsole()
    {
        var (fast, _) = await TestViewer.JoinAsync(_server, "m");
        var (slow, _) = await TestViewer.JoinAsync(_server, "m");
        await using (fast)
        await using (slow)
        {
            await fast.NextResizeAsync();
            await slow.NextResizeAsync();
            await fast.AckAsync(await fast.NextUpdateAsync());
            await slow.NextUpdateAsync(); // never acknowledged: the slow viewer falls behind

            PrometheusText before = await ScrapeUntilAsync(m => m.ValueOrZero("webconsole_encodes_total", ("console", "m")) >= 1); // the two joins may share one full-frame encode
            double frames0 = before.ValueOrZero("webconsole_frames_captured_total", ("console", "m"));
            double bytes0 = before.ValueOrZero("webconsole_sent_bytes_total", ("console", "m"));
            double encodes0 = before.ValueOrZero("webconsole_encodes_total", ("console", "m"));

            const int changes = 6;
            for (int i = 0; i < changes; i++)
            {
                Change(new PixelRect(8 + i * 16, 300, 12, 12), 0xFF000000u | (uint)(i * 40) << 8);
                UpdateMessage update = await fast.NextUpdateAsync();
                await fast.AckAsync(update);
            }

            PrometheusText after = await ScrapeUntilAsync(m =>
                m.ValueOrZero("webconsole_frames_captured_total", ("console", "m")) >= frames0 + changes &&
                m.ValueOrZero("webconsole_updates_merged_total", ("console", "m")) > 0);
            string text = after.Text;
            Assert.True(after.ValueOrZero("webconsole_sent_bytes_total", ("console", "m")) > bytes0, text);
            Assert.True(after.ValueOrZero("webconsole_encodes_total", ("console", "m")) >= encodes0 + changes, text);
            Assert.True(after.ValueOrZero("webconsole_encode_time_seconds_total", ("console", "m")) > 0, text);
            // The first full frame held flat blocks, text-like stripes and noise: every kind was used.
            Assert.True(after.ValueOrZero("webconsole_rects_encoded_total", ("console", "m"), ("kind", "jpeg")) > 0, text);
            Assert.True(after.ValueOrZero("webconsole_rects_encoded_total", ("console", "m"), ("kind", "png")) +
                        after.ValueOrZero("webconsole_rects_encoded_total", ("console", "m"), ("kind", "solid")) > 0, text);
            Assert.Equal(2, after.Value("webconsole_viewers", ("console", "m")));
            Assert.Equal(0, after.Value("webconsole_viewers", ("console", "idle")));
            // Nobody watched the idle console: it captured nothing.
            Assert.Equal(0, after.ValueOrZero("webconsole_frames_captured_total", ("console", "idle")));
        }
    }

    private void Change(PixelRect area, uint colour)
    {
        SpinWait spin = default;
        Span<byte> pixels;
        while (!_writer.TryBeginFrame(out pixels))
        {
            spin.SpinOnce();
        }
        HubScene.Draw(pixels, _writer.Stride, area, (_, _) => colour);
        _writer.Publish([area]);
    }

    /// <summary>Scrapes until <paramref name="ready"/> holds (the exporter caches a scrape briefly).</summary>
    private async Task<PrometheusText> ScrapeUntilAsync(Func<PrometheusText, bool> ready)
    {
        using HttpClient client = _server.CreateClient();
        var deadline = DateTime.UtcNow + s_scrapeTimeout;
        while (true)
        {
            using HttpResponseMessage response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            var metrics = new PrometheusText(await response.Content.ReadAsStringAsync());
            if (ready(metrics))
            {
                return metrics;
            }
            Assert.True(DateTime.UtcNow < deadline, "the series never moved; last scrape:\n" + metrics.Text);
            await Task.Delay(100);
        }
    }
}
