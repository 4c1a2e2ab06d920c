using WebConsole.Region;
using WebConsole.Testing;
using Xunit.Abstractions;

namespace WebConsole.E2E;

/// <summary>An xwd console: a real Xvfb with real X clients, shown in Chromium, checked against <c>xwd -root</c>.</summary>
[Collection(SharedBrowser.Name)]
public sealed class XvfbConsoleTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const int Width = 640, Height = 480;
    private static readonly TimeSpan s_pictureTimeout = TimeSpan.FromSeconds(10);
    private static readonly PixelRect s_fullFrame = new(0, 0, Width, Height);
    private static readonly PixelRect s_logo = new(50, 50, 200, 200);

    [Fact]
    public async Task XwdConsole_ShowsWhatTheXServerShowsAndFollowsAChange()
    {
        using var xvfb = new Xvfb($"{Width}x{Height}x24");
        xvfb.Run("xsetroot", "-solid", "#336699");
        xvfb.Spawn("xlogo", "-geometry", "200x200+50+50");
        await using var server = await WebConsoleServer.StartAsync([new ServerConsole("x", $"xwd:{xvfb.ScreenFile}")], output);
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/x?scale=off"), output);
        await page.WaitForLiveAsync();
        await page.WaitForAsync($"c => c.width === {Width} && c.height === {Height}");

        // Flat areas exact; the logo window (black on white, edges anti-aliased) may go out as JPEG: close.
        await Eventually.HoldsAsync(async () =>
        {
            TestImage root = xvfb.Root();
            byte[] canvas = await page.ReadPixelsAsync(s_fullFrame);
            PixelAssert.ExactOutside(root, canvas, s_logo);
            PixelAssert.Near(root, canvas, s_logo, maxMeanError: 8, maxError: 160);
        }, s_pictureTimeout);
        await Task.Delay(400);
        output.WriteLine($"screenshot: {await page.ScreenshotAsync("xvfb-xlogo")}");

        // The X screen changes: another root colour and a second window.
        xvfb.Run("xsetroot", "-solid", "#cc3311");
        xvfb.Spawn("xlogo", "-geometry", "120x90+400+300", "-bg", "#ffff00");
        var second = new PixelRect(400, 300, 120, 90);
        await Eventually.HoldsAsync(async () =>
        {
            TestImage root = xvfb.Root();
            byte[] canvas = await page.ReadPixelsAsync(s_fullFrame);
            PixelAssert.ExactOutside(root, canvas, s_logo, second);
            PixelAssert.Near(root, canvas, s_logo, maxMeanError: 8, maxError: 160);
            PixelAssert.Near(root, canvas, second, maxMeanError: 8, maxError: 160);
            Assert.Equal(0xCC, canvas[(10 * Width + 10) * 4]);
        }, s_pictureTimeout);
        await Task.Delay(400);
        output.WriteLine($"screenshot: {await page.ScreenshotAsync("xvfb-xlogo-changed")}");
    }

    [Fact]
    public async Task X11Console_ShowsAnXvncScreenItsCursorAndItsNewSize()
    {
        // TigerVNC's Xvnc: neither -fbdir nor -shmem, and a cursor it keeps out of its framebuffer.
        using var xvnc = Xvfb.Xvnc($"{Width}x{Height}");
        xvnc.Run("xsetroot", "-solid", "#336699", "-cursor_name", "left_ptr");
        xvnc.Spawn("xlogo", "-geometry", "200x200+50+50");
        await using var server = await WebConsoleServer.StartAsync([new ServerConsole("x", $"x11:{xvnc.Display}")], output);
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/x?scale=off"), output);
        await page.WaitForLiveAsync();
        await page.WaitForAsync($"c => c.width === {Width} && c.height === {Height}");
        await Eventually.HoldsAsync(async () =>
        {
            TestImage root = xvnc.Root();
            byte[] canvas = await page.ReadPixelsAsync(s_fullFrame);
            PixelAssert.ExactOutside(root, canvas, s_logo);
            PixelAssert.Near(root, canvas, s_logo, maxMeanError: 8, maxError: 160);
        }, s_pictureTimeout);
        // The X cursor (left_ptr) reaches the page's cursor plane through XFixes.
        await page.WaitForAsync("c => c.cursor.known && c.cursor.visible && c.cursor.width > 0");
        await page.Page.Mouse.MoveAsync(300, 200);
        await Task.Delay(400);
        output.WriteLine($"screenshot: {await page.ScreenshotAsync("x11-xvnc")}");

        // RandR on the X server: the page follows the new size.
        xvnc.Run("xrandr", "--fb", "800x600");
        xvnc.Run("xsetroot", "-solid", "#cc3311");
        await page.WaitForAsync("c => c.width === 800 && c.height === 600");
        await Eventually.HoldsAsync(async () =>
        {
            byte[] canvas = await page.ReadPixelsAsync(new PixelRect(700, 500, 10, 10));
            Assert.Equal(0xCC, canvas[0]);
        }, s_pictureTimeout);
    }

    [Fact]
    public async Task XwdShmConsole_ShowsWhatAnXvfbShmemScreenShows()
    {
        using var xvfb = new Xvfb($"{Width}x{Height}x24", shmem: true);
        xvfb.Run("xsetroot", "-solid", "#2a7f3c");
        await using var server = await WebConsoleServer.StartAsync([new ServerConsole("x", $"xwd-shm:{xvfb.Display}", xvfb.Display)], output);
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/x?scale=off"), output);
        await page.WaitForLiveAsync();
        await page.WaitForAsync($"c => c.width === {Width} && c.height === {Height}");
        await Eventually.HoldsAsync(async () =>
        {
            PixelAssert.ExactOutside(xvfb.Root(), await page.ReadPixelsAsync(s_fullFrame));
        }, s_pictureTimeout);

        xvfb.Run("xsetroot", "-solid", "#cc3311");
        await Eventually.HoldsAsync(async () =>
        {
            byte[] canvas = await page.ReadPixelsAsync(s_fullFrame);
            PixelAssert.ExactOutside(xvfb.Root(), canvas);
            Assert.Equal(0xCC, canvas[(10 * Width + 10) * 4]);
        }, s_pictureTimeout);
        await Task.Delay(400);
        output.WriteLine($"screenshot: {await page.ScreenshotAsync("xvfb-shmem")}");
    }

    [Fact]
    public async Task XwdConsole_WithoutXvfb_SaysWaitingForProducer()
    {
        string path = Path.Combine(Path.GetTempPath(), $"webconsole-e2e-noxvfb-{Guid.NewGuid():N}", "Xvfb_screen0");
        await using var server = await WebConsoleServer.StartAsync([new ServerConsole("x", $"xwd:{path}")], output);
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/x"), output);
        await page.WaitForAsync("c => c.state === 'connected' && c.sourceState === 'waiting'");
        Assert.Contains("does not exist", await page.Page.InnerTextAsync("#status"), StringComparison.Ordinal);
    }
}
