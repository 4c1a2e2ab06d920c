using WebConsole.Region;
using Xunit.Abstractions;

namespace WebConsole.E2E;

/// <summary>
/// examples/c-producer, a producer written against include/webconsole/wcfb.h alone, shown in
/// Chromium through the real server: its colour bars arrive exactly, its animation moves, and
/// input written to the region's input ring shows up on the page.
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed class CProducerTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const int Width = 640, Height = 360;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    // The producer's colour bars (y 0..63, eight equal bars) and its other fixed colours.
    private static readonly Rgb[] s_bars =
    [
        new(255, 255, 255), new(255, 255, 0), new(0, 255, 255), new(0, 255, 0),
        new(255, 0, 255), new(255, 0, 0), new(0, 0, 255), new(0, 0, 0),
    ];
    private static readonly Rgb s_markerPressed = new(255, 0, 0);
    private static readonly Rgb s_buttonDown = new(0, 192, 0);
    private static readonly PixelRect s_barsArea = new(0, 0, Width, 64);
    private static readonly PixelRect s_animation = new(0, 64, Width, Height - 64 - 48);
    private static readonly PixelRect s_keyLine = new(0, Height - 44, Width, 15);

    [Theory]
    [InlineData("requested")]
    [InlineData("free-running")]
    public async Task CProducer_BarsExactAnimationMovesAndInputShows(string mode)
    {
        using var region = new TempRegion("c-producer");
        using var producer = CProducerProcess.Start(region.Path, $"{Width}x{Height}",
            mode == "free-running" ? ["--free-running"] : []);
        await using var server = await WebConsoleServer.StartAsync([ServerConsole.Region("c", region.Path)], output);
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/c?scale=off"), output);
        await page.WaitForLiveAsync();
        await page.WaitForAsync($"c => c.width === {Width} && c.height === {Height}");

        // The colour bars: flat colours go out lossless, so every pixel is exact.
        await Eventually.HoldsAsync(async () =>
        {
            byte[] bars = await page.ReadPixelsAsync(s_barsArea);
            for (int y = 0; y < s_barsArea.Height; y += 7)
            {
                for (int x = 0; x < Width; x++)
                {
                    AssertPixel(bars, Width, x, y, s_bars[x * 8 / Width]);
                }
            }
        }, s_timeout);

        // The animation: the square and the frame counter keep changing the picture.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await Eventually.HoldsAsync(async () =>
        {
            seen.Add(Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(await page.ReadPixelsAsync(s_animation))));
            Assert.True(seen.Count >= 3, $"the animation area showed {seen.Count} different pictures");
        }, s_timeout);

        // Input through the region's input ring (what the server's input path writes).
        byte[] keysBefore = await page.ReadPixelsAsync(s_keyLine);
        using (var reader = new RegionReader(region.Path))
        {
            reader.Poll();
            Assert.Equal(RegionStatus.Ready, reader.Status);
            foreach (ushort key in new ushort[] { 17, 18, 48 }) // KEY_W, KEY_E, KEY_B
            {
                Assert.True(reader.TrySendInput(InputEvent.Key(key, down: true)));
                Assert.True(reader.TrySendInput(InputEvent.Key(key, down: false)));
            }
            Assert.True(reader.TrySendInput(InputEvent.Pointer(300, 200, buttons: 1)));
        }
        Assert.Equal("input 1 17 1 0 0", producer.NextLine(s_timeout));

        // The pointer marker (8x8, red while a button is down) and the left button block turn up.
        await Eventually.HoldsAsync(async () =>
        {
            byte[] marker = await page.ReadPixelsAsync(new PixelRect(300, 200, 8, 8));
            for (int i = 0; i < 64; i++)
            {
                AssertPixel(marker, 8, i % 8, i / 8, s_markerPressed);
            }
            int buttonLeft = Width - 3 * 20 - 8, buttonTop = Height - 24;
            AssertPixel(await page.ReadPixelsAsync(new PixelRect(buttonLeft, buttonTop, 16, 14)), 16, 8, 7, s_buttonDown);
            byte[] keysNow = await page.ReadPixelsAsync(s_keyLine);
            Assert.False(keysBefore.AsSpan().SequenceEqual(keysNow), "the key line did not change");
        }, s_timeout);
        // "KEYS: WEB" in the 3x5 font at scale 3: the W's first column is lit from the top row down.
        byte[] keys = await page.ReadPixelsAsync(s_keyLine);
        int wLeft = 8 + 6 * 4 * 3; // after "KEYS: ": six cells of 4 font columns, 3 px each
        AssertPixel(keys, Width, wLeft + 1, 1, new Rgb(255, 255, 255));
        AssertPixel(keys, Width, wLeft + 4, 1, new Rgb(48, 48, 48)); // the W's middle column starts lower
        output.WriteLine($"screenshot: {await page.ScreenshotAsync($"c-producer-{mode}")}");

        // SIGTERM: a clean exit that removes the region it created.
        Assert.Equal(0, producer.Stop(s_timeout));
        Assert.False(File.Exists(region.Path), "the producer left its region behind");
    }

    private static void AssertPixel(byte[] rgba, int width, int x, int y, Rgb expected)
    {
        int at = (y * width + x) * 4;
        var actual = new Rgb(rgba[at], rgba[at + 1], rgba[at + 2]);
        Assert.True(actual == expected, $"pixel ({x},{y}) is {actual}, expected {expected}");
    }
}
