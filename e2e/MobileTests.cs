using Microsoft.Playwright;
using WebConsole.Region;
using WebConsole.Testing;
using Xunit.Abstractions;
using static WebConsole.E2E.InputScreen;

namespace WebConsole.E2E;

/// <summary>
/// The console on phones and tablets (issue 23), in Chromium's mobile emulation (touch, a
/// device pixel ratio, a narrow viewport): the toolbar at every width, typing from the platform
/// keyboard's events, pinch zoom and pan, long press and the touchpad mode.
/// </summary>
[Collection(SharedBrowser.Name)]
public sealed class MobileTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const ushort KeyA = 30, KeyC = 46, KeyE = 18, KeyH = 35, KeyI = 23, KeyO = 24, KeyT = 20, KeyW = 17,
        Backspace = 14, Enter = 28, Escape = 1, Left = 105, ControlLeft = 29, AltLeft = 56;

    /// <summary>Every control of the toolbar, by id.</summary>
    private static readonly string[] s_controls =
        ["btn-kbd", "btn-cad", "btn-keys", "btn-type", "btn-clip", "scale-toggle", "btn-fullscreen", "btn-screenshot", "btn-stats", "btn-touchpad", "btn-hide"];

    private Task<ConsolePage> PhoneAsync(Uri url, int width = 412, int height = 915, float dpr = 2.625f) =>
        ConsolePage.OpenAsync(browser.Browser, url, output, width, height, dpr, hasTouch: true, isMobile: true);

    /// <summary>An input method composing <paramref name="steps"/> one after the other, then committing <paramref name="commit"/>.</summary>
    private static async Task ComposeAsync(ICDPSession cdp, string[] steps, string commit)
    {
        foreach (string text in steps)
        {
            await cdp.SendAsync("Input.imeSetComposition", new Dictionary<string, object> { ["text"] = text, ["selectionStart"] = text.Length, ["selectionEnd"] = text.Length });
        }
        await cdp.SendAsync("Input.insertText", new Dictionary<string, object> { ["text"] = commit });
    }

    private static async Task<string> BoxesAsync(IPage page) => await page.EvaluateAsync<string>(
        """
        ids => JSON.stringify(ids.map(id => {
            const b = document.getElementById(id), r = b.getBoundingClientRect();
            return { id, inMenu: b.parentElement.id === 'more-menu', shown: b.offsetParent !== null, x: r.left, y: r.top, w: r.width, h: r.height };
        }))
        """, s_controls);

    private sealed record Box(string Id, bool InMenu, bool Shown, double X, double Y, double W, double H);

    private static async Task<List<Box>> ControlBoxesAsync(IPage page) =>
        System.Text.Json.JsonSerializer.Deserialize<List<Box>>(await BoxesAsync(page), s_json)!;

    private static readonly System.Text.Json.JsonSerializerOptions s_json = new() { PropertyNameCaseInsensitive = true };

    [Theory]
    [InlineData(320, 568)]
    [InlineData(568, 320)]
    [InlineData(412, 915)]
    [InlineData(915, 412)]
    [InlineData(768, 1024)]
    [InlineData(1024, 768)]
    public async Task Toolbar_FitsTheWidth_EveryControlInTheBarOrTheMenu_TargetsOf44Px(int width, int height)
    {
        await using var server = await WebConsoleServer.StartAsync([ServerConsole.Demo()], output);
        await using var page = await PhoneAsync(server.Url("/console/demo"), width, height, 2);
        await page.WaitForLiveAsync();
        await Task.Delay(300);
        string name = $"mobile-{width}x{height}";

        // Nothing runs off the right edge: the bar's content fits its width.
        Assert.True(await page.Page.EvaluateAsync<bool>("() => { const b = document.getElementById('toolbar'); return b.scrollWidth <= b.clientWidth + 1; }"),
            "the toolbar's content is wider than the toolbar");
        List<Box> boxes = await ControlBoxesAsync(page.Page);
        foreach (Box b in boxes.Where(b => !b.InMenu))
        {
            Assert.True(b.Shown, $"{b.Id} is neither in the bar nor in the menu");
            Assert.True(b.X >= 0 && b.X + b.W <= width + 0.5 && b.Y >= 0 && b.Y + b.H <= height, $"{b.Id} is outside the {width}x{height} viewport: {b}");
            Assert.True(b.W >= 44 && b.H >= 44, $"{b.Id} is {b.W}x{b.H} CSS px");
        }
        // The console keeps the rest of the screen.
        double screenHeight = await page.Page.EvaluateAsync<double>("() => document.getElementById('screen').getBoundingClientRect().height");
        Assert.True(screenHeight >= height - 60, $"the screen keeps {screenHeight} of {height} CSS px");
        output.WriteLine($"{name}: in the menu: {string.Join(", ", boxes.Where(b => b.InMenu).Select(b => b.Id))}");
        output.WriteLine($"screenshot: {await page.ScreenshotAsync(name)}");

        if (boxes.Any(b => b.InMenu))
        {
            await page.Page.TapAsync("#btn-more");
            await Task.Delay(100);
            foreach (Box b in (await ControlBoxesAsync(page.Page)).Where(b => b.InMenu))
            {
                Assert.True(b.Shown, $"{b.Id} is in the menu but not shown when it is open");
                Assert.True(b.X >= 0 && b.X + b.W <= width + 0.5 && b.Y >= 0 && b.Y + b.H <= height, $"{b.Id} is outside the viewport in the open menu: {b}");
                Assert.True(b.W >= 44 && b.H >= 44, $"{b.Id} in the menu is {b.W}x{b.H} CSS px");
            }
            output.WriteLine($"screenshot: {await page.ScreenshotAsync(name + "-menu")}");
            // A control in the menu works from there, and the menu closes.
            await page.Page.TapAsync("#btn-stats");
            await page.WaitForAsync("c => c.stats.visible");
            Assert.True(await page.Page.IsHiddenAsync("#more-menu"));
        }
        else
        {
            Assert.True(await page.Page.IsHiddenAsync("#btn-more"), "a menu button with nothing in the menu");
        }

        // The Keys panel, opened from wherever its button is: every combination on screen.
        if (await page.Page.EvaluateAsync<bool>("() => document.getElementById('btn-keys').parentElement.id === 'more-menu'"))
        {
            await page.Page.TapAsync("#btn-more");
        }
        await page.Page.TapAsync("#btn-keys");
        await page.Page.WaitForSelectorAsync("#keys-panel:not([hidden])");
        double[][] keys = await page.Page.EvaluateAsync<double[][]>(
            "() => [...document.querySelectorAll('#keys-panel button')].map(b => { const r = b.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom, r.width, r.height]; })");
        Assert.All(keys, k => Assert.True(k[0] >= 0 && k[1] >= 0 && k[2] <= width + 0.5 && k[3] <= height + 0.5 && k[4] >= 44 && k[5] >= 44,
            $"a Keys button at {string.Join(", ", k)} in {width}x{height}"));
        output.WriteLine($"screenshot: {await page.ScreenshotAsync(name + "-keys")}");
    }

    [Fact]
    public async Task VirtualKeyboard_TextCompositionBackspaceEnter_AndStickyKeys_ReachTheGuestAsKeys()
    {
        var (server, producer, region) = await PatternConsole.StartAsync("vkbd", output);
        using (region)
        using (producer)
        await using (server)
        await using (var page = await PhoneAsync(server.Url("/console/vkbd")))
        {
            await page.WaitForLiveAsync();
            await page.Page.TapAsync("#btn-kbd");
            await page.WaitForAsync("c => c.keyboard.open && c.keyboard.focused");
            Assert.True(await page.Page.IsVisibleAsync("#key-row"));
            output.WriteLine($"screenshot: {await page.ScreenshotAsync("mobile-keyboard")}");
            ICDPSession cdp = await page.Page.Context.NewCDPSessionAsync(page.Page);

            // insertText, as a phone keyboard commits a word: typed on the guest's layout.
            producer.ClearInput();
            await page.Page.Keyboard.InsertTextAsync("hi");
            await producer.WaitForInputAsync(e => e.Count >= 4, "hi");
            Assert.Equal([Down(KeyH), Up(KeyH), Down(KeyI), Up(KeyI)], producer.Input);

            // A phone's Backspace: keydown 229 with no code, then the field loses a character.
            producer.ClearInput();
            await page.Page.EvaluateAsync("""
                () => {
                    const f = document.getElementById('vkbd-input');
                    f.dispatchEvent(new KeyboardEvent('keydown', { key: 'Unidentified', keyCode: 229, bubbles: true, cancelable: true }));
                    document.execCommand('delete');
                    f.dispatchEvent(new KeyboardEvent('keyup', { key: 'Unidentified', keyCode: 229, bubbles: true, cancelable: true }));
                }
                """);
            await producer.WaitForInputAsync(e => e.Count >= 2, "Backspace");
            await Task.Delay(200);
            Assert.Equal([Down(Backspace), Up(Backspace)], producer.Input);

            // Composition: each letter as it is composed, and a correction ("teh" -> "the") as Backspaces and letters.
            producer.ClearInput();
            await ComposeAsync(cdp, ["w", "wo"], "wo");
            await producer.WaitForInputAsync(e => e.Count >= 4, "wo");
            await ComposeAsync(cdp, ["t", "te", "teh"], "the");
            await producer.WaitForInputAsync(e => e.Count >= 18, "teh -> the");
            await Task.Delay(200);
            Assert.Equal([Down(KeyW), Up(KeyW), Down(KeyO), Up(KeyO), Down(KeyT), Up(KeyT), Down(KeyE), Up(KeyE), Down(KeyH), Up(KeyH),
                Down(Backspace), Up(Backspace), Down(Backspace), Up(Backspace), Down(KeyH), Up(KeyH), Down(KeyE), Up(KeyE)], producer.Input);

            // Enter: as a line break in the field, and as a key with a name but no code.
            producer.ClearInput();
            await page.Page.Keyboard.InsertTextAsync("\n");
            await producer.WaitForInputAsync(e => e.Count >= 2, "Enter (line break)");
            await page.Page.EvaluateAsync("""
                () => {
                    const f = document.getElementById('vkbd-input');
                    f.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', keyCode: 13, bubbles: true, cancelable: true }));
                    f.dispatchEvent(new KeyboardEvent('keyup', { key: 'Enter', keyCode: 13, bubbles: true, cancelable: true }));
                }
                """);
            await producer.WaitForInputAsync(e => e.Count >= 4, "Enter (a key without a code)");
            await Task.Delay(200);
            Assert.Equal([Down(Enter), Up(Enter), Down(Enter), Up(Enter)], producer.Input);

            // Sticky Ctrl, then a capital the phone keyboard made: Ctrl+C, not Ctrl+Shift+C; the latch lets go after one key.
            producer.ClearInput();
            await page.Page.TapAsync("#key-row [data-sticky='29']");
            await page.WaitForAsync("c => c.keyboard.latched.includes(29)");
            await page.Page.Keyboard.InsertTextAsync("C");
            await producer.WaitForInputAsync(e => e.Count >= 4, "Ctrl+C");
            // Alt latched, then Esc from the row; an arrow alone.
            await page.Page.TapAsync("#key-row [data-sticky='56']");
            await page.Page.TapAsync("#key-row [data-key='1']");
            await page.Page.TapAsync("#key-row [data-key='105']");
            await producer.WaitForInputAsync(e => e.Count >= 10, "Alt+Esc, Left");
            await Task.Delay(200);
            Assert.Equal([Down(ControlLeft), Down(KeyC), Up(KeyC), Up(ControlLeft), Down(AltLeft), Down(Escape), Up(Escape), Up(AltLeft),
                Down(Left), Up(Left)], producer.Input);
            // The row's buttons never took the focus: the platform keyboard stays up.
            await page.WaitForAsync("c => c.keyboard.focused && c.keyboard.latched.length === 0");

            // A tablet's physical keyboard: by code, and the letter is not typed a second time as text.
            producer.ClearInput();
            await page.Page.Keyboard.PressAsync("KeyA");
            await producer.WaitForInputAsync(e => e.Count >= 2, "physical a");
            await Task.Delay(200);
            Assert.Equal([Down(KeyA), Up(KeyA)], producer.Input);

            // The keyboard button closes it again.
            await page.Page.TapAsync("#btn-kbd");
            await page.WaitForAsync("c => !c.keyboard.open");
            Assert.True(await page.Page.IsHiddenAsync("#key-row"));
        }
    }

    [Fact]
    public async Task PinchZoomsAroundTheFingers_DragPans_DoubleTapToggles_AndTapsLandOnTheirFramePixel()
    {
        var (server, producer, region) = await PatternConsole.StartAsync("zoom", output);
        using (region)
        using (producer)
        await using (server)
        await using (var page = await PhoneAsync(server.Url("/console/zoom")))
        {
            await page.WaitForLiveAsync();
            await Task.Delay(300);
            var fingers = await Fingers.OnAsync(page.Page);
            double fit = await page.Page.EvaluateAsync<double>("() => window.webConsole.zoom.fitScale");
            var (cx, cy) = await ClientPointAsync(page.Page, 320, 180);
            double[] before = await page.Page.EvaluateAsync<double[]>(FramePointScript, new[] { (double)cx, (double)cy });

            // Pinch out around frame pixel (320, 180), the centre (nearer an edge, the edge stops the frame
            // first): it stays under the fingers; no input reaches the guest.
            producer.ClearInput();
            await fingers.PinchAsync(cx, cy, 60, 240);
            await page.WaitForAsync("c => c.zoom.mode === 'zoom'");
            double scale = await page.Page.EvaluateAsync<double>("() => window.webConsole.zoom.scale");
            Assert.InRange(scale / fit, 3.5, 4.5);
            Assert.Empty(producer.Input);
            double[] after = await page.Page.EvaluateAsync<double[]>(FramePointScript, new[] { (double)cx, (double)cy });
            Assert.InRange(after[0], before[0] - 2, before[0] + 2);
            Assert.InRange(after[1], before[1] - 2, before[1] + 2);
            output.WriteLine($"pinch: fit {fit:F3} -> {scale:F3} CSS px per frame pixel; under the fingers ({before[0]:F1}, {before[1]:F1}) -> ({after[0]:F1}, {after[1]:F1})");
            output.WriteLine($"screenshot: {await page.ScreenshotAsync("mobile-zoomed")}");

            // A one-finger drag pans the zoomed frame (no button in the guest).
            double scrollBefore = await page.Page.EvaluateAsync<double>("() => window.webConsole.zoom.scrollLeft");
            await fingers.DragAsync((cx, cy + 100), (cx - 150, cy + 100));
            double scrollAfter = await page.Page.EvaluateAsync<double>("() => window.webConsole.zoom.scrollLeft");
            Assert.InRange(scrollAfter - scrollBefore, 140, 160);

            // A tap on the zoomed frame lands on the frame pixel under it.
            var (tx, ty) = await ClientPointAsync(page.Page, 330, 110);
            await fingers.TapAsync(tx, ty);
            await producer.WaitForInputAsync(e => e.Pointers().Any(p => p.Value == 0) && e.Pointers().Any(p => p.Value == 1), "tap when zoomed");
            Assert.Equal([InputEvent.Pointer(330, 110, 1), InputEvent.Pointer(330, 110, 0)], producer.Input.Pointers());

            // Double tap: back to fit; again: zoomed in at the tap.
            producer.ClearInput();
            await fingers.TapAsync(tx, ty);
            await Task.Delay(60);
            await fingers.TapAsync(tx, ty);
            await page.WaitForAsync("c => c.zoom.mode === 'fit'");
            var (dx, dy) = await ClientPointAsync(page.Page, 500, 300);
            await fingers.TapAsync(dx, dy);
            await Task.Delay(60);
            await fingers.TapAsync(dx, dy);
            await page.WaitForAsync("c => c.zoom.mode === 'zoom'");
            // Across, the tapped pixel stays under the finger; up and down the zoomed frame still fits, so it is centred.
            double[] tapped = await page.Page.EvaluateAsync<double[]>(FramePointScript, new[] { (double)dx, (double)dy });
            output.WriteLine($"double tap at frame (500, 300): now under the finger ({tapped[0]:F1}, {tapped[1]:F1})");
            Assert.InRange(tapped[0], 498, 502);
            await Task.Delay(400);
            // Double taps click nothing in the guest.
            Assert.DoesNotContain(producer.Input.Pointers(), p => p.Value != 0);

            // Pinching in below fit is fit.
            await fingers.PinchAsync(200, 400, 300, 40);
            await page.WaitForAsync("c => c.zoom.mode === 'fit'");
        }
    }

    [Fact]
    public async Task LongPressIsARightClick_TwoFingersScrollWhenNotZoomed_TouchpadMovesAVisiblePointer()
    {
        var (server, producer, region) = await PatternConsole.StartAsync("touchpad", output);
        using (region)
        using (producer)
        await using (server)
        await using (var page = await PhoneAsync(server.Url("/console/touchpad")))
        {
            await page.WaitForLiveAsync();
            var fingers = await Fingers.OnAsync(page.Page);

            // Long press: a right click where the finger is (button mask 4), nothing else.
            producer.ClearInput();
            var (x, y) = await ClientPointAsync(page.Page, 200, 150);
            await fingers.Send("touchStart", (x, y));
            await Task.Delay(900);
            await fingers.Send("touchEnd");
            await producer.WaitForInputAsync(e => e.Pointers().Count >= 2, "long press");
            await Task.Delay(400);
            Assert.Equal([InputEvent.Pointer(200, 150, 4), InputEvent.Pointer(200, 150, 0)], producer.Input.Pointers());

            // Two fingers together, not zoomed: the guest scrolls, the frame does not zoom.
            producer.ClearInput();
            await fingers.Send("touchStart", (x, y), (x + 50, y));
            for (int i = 1; i <= 5; i++)
            {
                await fingers.Send("touchMove", (x, y - i * 20), (x + 50, y - i * 20));
            }
            await fingers.Send("touchEnd");
            await producer.WaitForInputAsync(e => e.Where(w => w.Type == InputEventType.Wheel).Sum(w => w.Y) >= 200, "two-finger scroll");
            Assert.Equal("fit", await page.Page.EvaluateAsync<string>("() => window.webConsole.zoom.mode"));

            // Touchpad mode from the toolbar (in the menu on a phone): the page draws a pointer.
            await page.Page.TapAsync("#btn-more");
            await page.Page.TapAsync("#btn-touchpad");
            await page.WaitForAsync("c => c.touch.touchpad && c.cursor.shown");
            producer.ClearInput();
            double scale = await page.Page.EvaluateAsync<double>("() => window.webConsole.zoom.scale");
            var start = await page.Page.EvaluateAsync<double[]>("() => [window.webConsole.cursor.x, window.webConsole.cursor.y]");
            // 60 CSS px of finger to the right and 30 down, from anywhere: the pointer moves that far on the picture.
            await fingers.DragAsync((100, 600), (160, 630));
            await producer.WaitForInputAsync(e => e.Pointers().Count >= 1, "touchpad motion");
            await Task.Delay(200);
            InputEvent moved = producer.Input.Pointers()[^1];
            Assert.InRange(moved.X, start[0] + 60 / scale - 2, start[0] + 60 / scale + 2);
            Assert.InRange(moved.Y, start[1] + 30 / scale - 2, start[1] + 30 / scale + 2);
            Assert.Equal(0u, moved.Value);
            var shown = await page.Page.EvaluateAsync<double[]>("() => [window.webConsole.cursor.x, window.webConsole.cursor.y]");
            Assert.Equal(moved.X, (int)shown[0]);
            Assert.Equal(moved.Y, (int)shown[1]);
            output.WriteLine($"screenshot: {await page.ScreenshotAsync("mobile-touchpad")}");

            // A tap clicks where the pointer is, not where the finger is; a two-finger tap is a right click.
            producer.ClearInput();
            await fingers.TapAsync(300, 700);
            await fingers.Send("touchStart", (300, 700), (340, 700));
            await fingers.Send("touchEnd");
            await producer.WaitForInputAsync(e => e.Pointers().Count(p => p.Value == 0) >= 2 && e.Pointers().Any(p => p.Value == 4), "touchpad clicks");
            Assert.Equal([InputEvent.Pointer(moved.X, moved.Y, 1), InputEvent.Pointer(moved.X, moved.Y, 0),
                InputEvent.Pointer(moved.X, moved.Y, 4), InputEvent.Pointer(moved.X, moved.Y, 0)], producer.Input.Pointers());
        }
    }

    [Fact]
    public async Task Embedded_TheParentOpensTheKeyboardAndSetsTheZoom_AndTouchWorksInTheFrame()
    {
        using var regionA = new TempRegion("mobile-embed");
        using var producer = new TestProducer(regionA.Path, Scenes.Width, Scenes.Height);
        producer.Publish(Scenes.Pattern());
        int port = NamedHostBrowser.FreePort();
        await using var server = await WebConsoleServer.StartAsync([ServerConsole.Region("a", regionA.Path)], output, port,
            [$"--Security:AllowedOrigins:0=http://localhost:{port}", $"--Security:FrameAncestors:0=http://localhost:{port}"]);
        await using var page = await PhoneAsync(new Uri($"http://localhost:{port}/samples/dashboard.html?base=http://127.0.0.1:{port}&consoles=a"));
        await page.Page.WaitForFunctionAsync("() => window.dashboard.events.some(e => e.console === 'a' && e.event === 'connected')");
        IFrame frame = page.Page.Frames.First(f => f.Url.Contains("/console/a", StringComparison.Ordinal));
        await frame.WaitForFunctionAsync("() => window.webConsole.framesPresented > 0");

        // The parent opens the keyboard: the frame's key row shows, its field has the focus; the parent hears it.
        await page.Page.EvaluateAsync("() => window.dashboard.send('a', { command: 'keyboard', open: true })");
        await frame.WaitForFunctionAsync("() => window.webConsole.keyboard.open && window.webConsole.keyboard.focused");
        await page.Page.WaitForFunctionAsync("() => window.dashboard.events.some(e => e.console === 'a' && e.event === 'keyboard' && e.open)");
        producer.ClearInput();
        await page.Page.Keyboard.InsertTextAsync("hi");
        await producer.WaitForInputAsync(e => e.Count >= 4, "hi in the frame");
        Assert.Equal([Down(KeyH), Up(KeyH), Down(KeyI), Up(KeyI)], producer.Input);
        await page.Page.EvaluateAsync("() => window.dashboard.send('a', { command: 'keyboard', open: false })");
        await frame.WaitForFunctionAsync("() => !window.webConsole.keyboard.open");

        // The parent sets the zoom around a frame pixel: 3 CSS px per frame pixel, (100, 60) at the frame's centre.
        await page.Page.EvaluateAsync("() => window.dashboard.send('a', { command: 'setZoom', zoom: 3, x: 100, y: 60 })");
        await frame.WaitForFunctionAsync("() => window.webConsole.zoom.mode === 'zoom'");
        await page.Page.WaitForFunctionAsync("() => window.dashboard.events.some(e => e.console === 'a' && e.event === 'zoom' && e.mode === 'zoom')");
        double[] centre = await frame.EvaluateAsync<double[]>("""
            () => {
                const s = document.getElementById('screen').getBoundingClientRect(), c = document.getElementById('canvas'), r = c.getBoundingClientRect();
                return [window.webConsole.zoom.scale, (s.left + s.width / 2 - r.left) * c.width / r.width, (s.top + s.height / 2 - r.top) * c.height / r.height];
            }
            """);
        Assert.InRange(centre[0], 2.99, 3.01);
        Assert.InRange(centre[1], 98, 102);
        Assert.InRange(centre[2], 58, 62);
        output.WriteLine($"screenshot: {await page.ScreenshotAsync("mobile-embedded-zoom")}");
        // A bad zoom is an error event, not a change.
        await page.Page.EvaluateAsync("() => window.dashboard.send('a', { command: 'setZoom', zoom: 'huge' })");
        await page.Page.WaitForFunctionAsync("() => window.dashboard.events.some(e => e.console === 'a' && e.event === 'error' && e.command === 'setZoom')");

        // Touch inside the frame: a double tap goes back to fit, a long press right-clicks.
        ElementHandleBoundingBoxResult box = (await (await page.Page.QuerySelectorAsync("iframe"))!.BoundingBoxAsync())!;
        var fingers = await Fingers.OnAsync(page.Page);
        float fx = (float)(box.X + box.Width / 2), fy = (float)(box.Y + box.Height / 2);
        await fingers.TapAsync(fx, fy);
        await Task.Delay(60);
        await fingers.TapAsync(fx, fy);
        await frame.WaitForFunctionAsync("() => window.webConsole.zoom.mode === 'fit'");
        producer.ClearInput();
        await fingers.Send("touchStart", (fx, fy));
        await Task.Delay(900);
        await fingers.Send("touchEnd");
        await producer.WaitForInputAsync(e => e.Pointers().Count >= 2, "long press in the frame");
        Assert.Equal(4u, producer.Input.Pointers()[0].Value);
    }

    /// <summary>
    /// A real guest: a command typed from the phone keyboard's events into the QEMU 7.2 guest's VGA
    /// text console (words, a Backspace, a corrected composition, Enter as a line break) runs, and a
    /// line cancelled with the sticky Ctrl and "c" does not. The serial shell reads the result.
    /// </summary>
    [Fact]
    public async Task VirtualKeyboard_OnAQemuGuest_TypesACommandThatRuns_AndStickyCtrlCCancelsALine()
    {
        using var vm = new QemuVm(RepoPaths.Root, QemuVersion.System, "std", start: false);
        await using var server = await WebConsoleServer.StartAsync([new ServerConsole("vm", vm.Source)], output);
        await using var page = await PhoneAsync(server.Url("/console/vm"));
        // As the QEMU console test does: the page waits for QEMU, then QEMU starts (a busy machine's
        // TCG boot can take a minute, and its first frame a while after the shell is up).
        await page.WaitForAsync("c => c.state === 'connected' && c.sourceState === 'waiting'", TimeSpan.FromSeconds(20));
        vm.Start();
        await vm.WaitForShellAsync(TimeSpan.FromSeconds(90));
        await page.WaitForAsync("c => c.sourceState === 'ready' && c.width === 720 && c.height === 400", TimeSpan.FromSeconds(60));
        ICDPSession cdp = await page.Page.Context.NewCDPSessionAsync(page.Page);

        await page.Page.TapAsync("#btn-kbd");
        await page.WaitForAsync("c => c.keyboard.open && c.keyboard.focused");
        // A line given up with Ctrl (latched in the key row) and "c".
        await page.Page.Keyboard.InsertTextAsync("echo bad > /root/vk");
        await page.Page.TapAsync("#key-row [data-sticky='29']");
        await page.Page.Keyboard.InsertTextAsync("c");
        // Then: a typo taken back with Backspace, a word whose composition the keyboard corrects, Enter.
        await page.Page.Keyboard.InsertTextAsync("echo hellp");
        await page.Page.EvaluateAsync("() => document.execCommand('delete')");
        await page.Page.Keyboard.InsertTextAsync("o ");
        await ComposeAsync(cdp, ["w", "wr", "wro", "wrol", "wrold"], "world");
        await page.Page.Keyboard.InsertTextAsync(" > /root/vk\n");

        string typed = "";
        await Eventually.HoldsAsync(async () =>
        {
            typed = await vm.RunAsync("cat /root/vk 2>&1", TimeSpan.FromSeconds(5));
            Assert.Contains("hello world", typed, StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30));
        Assert.DoesNotContain("bad", typed, StringComparison.Ordinal);
        output.WriteLine($"the guest's /root/vk: {typed.Trim()}; keyboard: {await page.HookAsync()}");
        output.WriteLine($"screenshot: {await page.ScreenshotAsync("mobile-qemu-keyboard")}");
    }

    /// <summary>The frame point (fractional) under a client position, as the viewport computes it.</summary>
    private const string FramePointScript = """
        ([x, y]) => {
            const c = document.getElementById('canvas'), r = c.getBoundingClientRect();
            return [(x - r.left) * c.width / r.width, (y - r.top) * c.height / r.height];
        }
        """;
}
