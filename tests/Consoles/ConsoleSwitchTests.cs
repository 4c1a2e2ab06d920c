using System.Net;
using System.Net.Http.Json;
using WebConsole.Hubs;
using WebConsole.Region;
using WebConsole.Tests.Hubs;
using WebConsole.Tests.Region;

namespace WebConsole.Tests.Consoles;

/// <summary>
/// A console pointed at another source through the API while a viewer watches: the viewer stays
/// connected and gets the new size and the new pixels; and a removed console's metric series go.
/// </summary>
public sealed class ConsoleSwitchTests : IAsyncLifetime
{
    private const int OtherWidth = 320, OtherHeight = 200;
    private const uint OtherColour = 0xFF30C060u;
    private readonly TempRegion _first = new("switch-a");
    private readonly TempRegion _second = new("switch-b");
    private RegionWriter _firstWriter = null!, _secondWriter = null!;
    private ServerFactory _server = null!;
    private HttpClient _api = null!;

    public Task InitializeAsync()
    {
        _firstWriter = HubScene.CreateRegion(_first.Path);
        _secondWriter = RegionWriter.Create(_second.Path, new RegionWriterOptions { Width = OtherWidth, Height = OtherHeight });
        Assert.True(_secondWriter.TryBeginFrame(out Span<byte> pixels));
        HubScene.Draw(pixels, _secondWriter.Stride, new PixelRect(0, 0, OtherWidth, OtherHeight), (_, _) => OtherColour);
        _secondWriter.PublishFull();
        _server = new ServerFactory(new() { ["Consoles:fixed:Source"] = "region:" + _first.Path });
        _api = _server.CreateClient(); // no keys configured: local callers may use the API
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
        _firstWriter.Dispose();
        _secondWriter.Dispose();
        _first.Dispose();
        _second.Dispose();
    }

    [Fact]
    public async Task AnotherSource_ReachesTheViewersOnTheirConnection_WithItsSizeAndPixels()
    {
        Assert.Equal(HttpStatusCode.Created, (await _api.PutAsJsonAsync("/api/consoles/vm", new { source = "region:" + _first.Path })).StatusCode);
        var (viewer, joined) = await TestViewer.JoinAsync(_server, "vm");
        await using (viewer)
        {
            Assert.Equal((HubScene.Width, HubScene.Height), (joined.Width, joined.Height));
            Assert.Equal((HubScene.Width, HubScene.Height), await NextSizeAsync(viewer));
            await viewer.AckAsync(await viewer.NextUpdateAsync());
            Assert.Equal(HubScene.Pixel(10, 10), viewer.Canvas[10 * HubScene.Width + 10]);

            Assert.Equal(HttpStatusCode.OK, (await _api.PutAsJsonAsync("/api/consoles/vm", new { source = "region:" + _second.Path })).StatusCode);
            Assert.Equal((OtherWidth, OtherHeight), await NextSizeAsync(viewer));
            UpdateMessage update = await viewer.NextUpdateAsync();
            await viewer.AckAsync(update);
            Assert.All(new[] { 0, OtherWidth * OtherHeight / 2 + 7, OtherWidth * OtherHeight - 1 }, i => Assert.Equal(OtherColour, viewer.Canvas[i]));
            Assert.Equal(HubConnectionStateConnected, viewer.Connection.State.ToString());
            // Input and acks reach the new session: the ack above did not throw, and the next change arrives.
            Assert.True(_secondWriter.TryBeginFrame(out Span<byte> pixels));
            HubScene.Draw(pixels, _secondWriter.Stride, new PixelRect(0, 0, 64, 64), (_, _) => 0xFFFF0000u);
            _secondWriter.Publish([new PixelRect(0, 0, 64, 64)]);
            await viewer.NextUpdateAsync();
            Assert.Equal(0xFFFF0000u, viewer.Canvas[0]);
        }
    }

    private const string HubConnectionStateConnected = "Connected";

    private static async Task<(int, int)> NextSizeAsync(TestViewer viewer)
    {
        ResizeMessage resize = await viewer.NextResizeAsync();
        return (resize.Width, resize.Height);
    }

    [Fact]
    public async Task ARemovedConsole_TakesItsMetricSeriesWithIt()
    {
        (await _api.PutAsJsonAsync("/api/consoles/gone", new { source = "region:" + _first.Path })).EnsureSuccessStatusCode();
        var (viewer, _) = await TestViewer.JoinAsync(_server, "gone");
        await using (viewer)
        {
            await viewer.NextResizeAsync();
            await viewer.AckAsync(await viewer.NextUpdateAsync());
            string during = await ScrapeUntilAsync(text => Series(text, "gone").Any(l => l.StartsWith("webconsole_sent_bytes_total", StringComparison.Ordinal)));
            Assert.Contains(Series(during, "gone"), l => l.StartsWith("webconsole_frames_captured_total", StringComparison.Ordinal));
        }
        Assert.Equal(HttpStatusCode.NoContent, (await _api.DeleteAsync("/api/consoles/gone")).StatusCode);
        string after = await ScrapeUntilAsync(text => !Series(text, "gone").Any());
        Assert.Empty(Series(after, "gone"));
        Assert.NotEmpty(Series(after, "fixed"));
    }

    private static IEnumerable<string> Series(string text, string console) =>
        text.Split('\n').Where(l => l.Contains($"console=\"{console}\"", StringComparison.Ordinal));

    /// <summary>Scrapes until <paramref name="done"/> holds (the exporter caches a scrape briefly) or 5 s pass.</summary>
    private async Task<string> ScrapeUntilAsync(Func<string, bool> done)
    {
        string text = "";
        for (int i = 0; i < 50; i++)
        {
            text = await _api.GetStringAsync("/metrics");
            if (done(text))
            {
                break;
            }
            await Task.Delay(100);
        }
        return text;
    }
}
