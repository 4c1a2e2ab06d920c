using System.Text.Json;
using Xunit.Abstractions;
using static WebConsole.E2E.InputScreen;

namespace WebConsole.E2E;

/// <summary>The guest's cursor plane drawn locally over the canvas.</summary>
[Collection(SharedBrowser.Name)]
public sealed class CursorTests(BrowserFixture browser, ITestOutputHelper output)
{
    private sealed record CursorInfo(bool Known, bool Visible, uint Serial, int HotX, int HotY, int Width, int Height, int X, int Y,
        bool Shown, double Left, double Top, double CssWidth, string CanvasCursor);

    private static readonly JsonSerializerOptions s_json = new() { PropertyNameCaseInsensitive = true };

    private static async Task<CursorInfo> CursorAsync(ConsolePage page) =>
        JsonSerializer.Deserialize<CursorInfo>(await page.Page.EvaluateAsync<string>("() => JSON.stringify(window.webConsole.cursor)"), s_json)!;

    private static async Task<double[]> CanvasBoxAsync(ConsolePage page) => await page.Page.EvaluateAsync<double[]>(
        "() => { const c = document.getElementById('canvas'); return [parseFloat(c.style.left), parseFloat(c.style.top), c.getBoundingClientRect().width / c.width]; }");

    private static uint[] Solid(int width, int height, uint argb) => Enumerable.Repeat(argb, width * height).ToArray();

    [Fact]
    public async Task Cursor_IsDrawnLocallyAtItsHotspot_FollowsThePointer_HidesAndChangesWithItsSerial()
    {
        using var region = new TempRegion("cursor");
        using var producer = new TestProducer(region.Path, Scenes.Width, Scenes.Height);
        producer.Publish(Scenes.Pattern());
        producer.SetCursor(8, 6, 3, 2, Solid(8, 6, 0xFFFF0000));
        producer.MoveCursor(200, 100, visible: true);
        await using var server = await WebConsoleServer.StartAsync([ServerConsole.Region("cursor", region.Path)], output);
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/cursor"), output, 1000, 700);
        await page.WaitForLiveAsync();

        // On join: the guest's image at the guest's position, hotspot on the point; no page cursor over the canvas.
        await page.WaitForAsync("c => c.cursor.shown && c.cursor.width === 8");
        CursorInfo c = await CursorAsync(page);
        double[] box = await CanvasBoxAsync(page);
        double scale = box[2];
        Assert.True(scale > 1, $"fit scale {scale}");
        Assert.Equal((3, 2, 6, "none"), (c.HotX, c.HotY, c.Height, c.CanvasCursor));
        Assert.Equal(box[0] + (200 - 3) * scale, c.Left, 2);
        Assert.Equal(box[1] + (100 - 2) * scale, c.Top, 2);
        Assert.Equal(8 * scale, c.CssWidth, 2);
        int[] pixel = await page.Page.EvaluateAsync<int[]>("() => Array.from(document.querySelector('canvas.cursor').getContext('2d').getImageData(4, 3, 1, 1).data)");
        Assert.Equal([255, 0, 0, 255], pixel);
        output.WriteLine($"screenshot: {await page.ScreenshotAsync("cursor-guest")}");

        // Local motion moves it at once (the producer never answers here).
        var (x, y) = await ClientPointAsync(page.Page, 400, 300);
        await page.Page.Mouse.MoveAsync(x, y);
        c = await CursorAsync(page);
        Assert.Equal((400, 300), (c.X, c.Y));
        Assert.Equal(box[0] + (400 - 3) * scale, c.Left, 2);

        // Hidden by the guest: no overlay.
        producer.MoveCursor(400, 300, visible: false);
        await page.WaitForAsync("c => !c.cursor.visible && !c.cursor.shown");

        // A new image (serial changes), shown again.
        uint serial = (await CursorAsync(page)).Serial;
        producer.SetCursor(16, 16, 0, 0, Solid(16, 16, 0xFF0000FF));
        producer.MoveCursor(400, 300, visible: true);
        await page.WaitForAsync("(c, s) => c.cursor.serial !== s && c.cursor.width === 16 && c.cursor.shown", arg: serial);
        pixel = await page.Page.EvaluateAsync<int[]>("() => Array.from(document.querySelector('canvas.cursor').getContext('2d').getImageData(8, 8, 1, 1).data)");
        Assert.Equal([0, 0, 255, 255], pixel);

        // The guest moves it by itself (no local motion for a while): the overlay goes there.
        await Task.Delay(400);
        producer.MoveCursor(50, 60, visible: true);
        await page.WaitForAsync("c => c.cursor.x === 50 && c.cursor.y === 60");
        c = await CursorAsync(page);
        Assert.Equal(box[0] + 50 * scale, c.Left, 2);
    }

    [Fact]
    public async Task DemoConsole_ShowsItsArrowUnderThePointer_AndDrawsTheTrail()
    {
        await using var server = await WebConsoleServer.StartAsync([ServerConsole.Demo()], output);
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/demo"), output);
        await page.WaitForLiveAsync();
        var (x, y) = await ClientPointAsync(page.Page, 300, 200);
        await page.Page.Mouse.MoveAsync(x - 80, y - 40);
        await page.Page.Mouse.MoveAsync(x, y, new() { Steps = 8 });
        await page.WaitForAsync("c => c.cursor.known && c.cursor.visible && c.cursor.shown");
        CursorInfo c = await CursorAsync(page);
        Assert.Equal((300, 200), (c.X, c.Y));
        Assert.Equal("none", c.CanvasCursor);
        await Task.Delay(300);
        output.WriteLine($"screenshot: {await page.ScreenshotAsync("cursor-demo")}");
    }

    [Fact]
    public async Task SourceWithoutCursorPlane_KeepsThePageCursor()
    {
        using var region = new TempRegion("nocursor");
        using var producer = new TestProducer(region.Path, Scenes.Width, Scenes.Height);
        producer.Publish(Scenes.Pattern());
        await using var server = await WebConsoleServer.StartAsync([ServerConsole.Region("nocursor", region.Path)], output);
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/nocursor"), output);
        await page.WaitForLiveAsync();
        await Task.Delay(300);
        CursorInfo c = await CursorAsync(page);
        Assert.False(c.Shown);
        Assert.Equal("default", c.CanvasCursor);
    }
}
