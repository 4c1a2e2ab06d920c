using Microsoft.Playwright;
using WebConsole.Region;
using Xunit.Abstractions;
using static WebConsole.E2E.InputScreen;

namespace WebConsole.E2E;

/// <summary>Keyboard, pointer, wheel and touch from Chromium into the region's input ring.</summary>
[Collection(SharedBrowser.Name)]
public sealed class InputTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const ushort KeyA = 30, KeyB = 48, KeyC = 46, KeyQ = 16, KeyZ = 44, ShiftLeft = 42, ControlLeft = 29, AltLeft = 56,
        AltRight = 100, Delete = 111, Tab = 15, Numpad1 = 79, IntlBackslash = 86, F13 = 183, Lang1 = 122;

    private Task<(WebConsoleServer Server, TestProducer Producer, TempRegion Region)> StartAsync(string id) =>
        PatternConsole.StartAsync(id, output);

    [Fact]
    public async Task Keyboard_SendsPhysicalKeysWithModifiersRepeat_AndReleasesHeldKeysOnBlur()
    {
        var (server, producer, region) = await StartAsync("keys");
        using (region)
        using (producer)
        await using (server)
        await using (var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/keys"), output))
        {
            await page.WaitForLiveAsync();
            await page.Page.FocusAsync("#canvas");
            producer.ClearInput();

            await page.Page.Keyboard.PressAsync("KeyA");
            await page.Page.Keyboard.PressAsync("Shift+KeyZ");
            await producer.WaitForInputAsync(e => e.Count >= 6, "a, Shift+z");
            Assert.Equal([Down(KeyA), Up(KeyA), Down(ShiftLeft), Down(KeyZ), Up(KeyZ), Up(ShiftLeft)], producer.Input);

            // The physical key counts, not the character: KeyQ is 'a' on AZERTY and still KEY_Q.
            producer.ClearInput();
            await DispatchKeyAsync(page.Page, "keydown", "KeyQ", "a");
            await DispatchKeyAsync(page.Page, "keyup", "KeyQ", "a");
            await DispatchKeyAsync(page.Page, "keydown", "IntlBackslash", "<");
            await DispatchKeyAsync(page.Page, "keyup", "IntlBackslash", "<");
            await DispatchKeyAsync(page.Page, "keydown", "F13", "F13");
            await DispatchKeyAsync(page.Page, "keyup", "F13", "F13");
            await DispatchKeyAsync(page.Page, "keydown", "Lang1", "HangulMode");
            await DispatchKeyAsync(page.Page, "keyup", "Lang1", "HangulMode");
            await page.Page.Keyboard.PressAsync("Numpad1");
            await page.Page.Keyboard.PressAsync("AltRight");
            await producer.WaitForInputAsync(e => e.Count >= 12, "physical keys");
            Assert.Equal([Down(KeyQ), Up(KeyQ), Down(IntlBackslash), Up(IntlBackslash), Down(F13), Up(F13), Down(Lang1), Up(Lang1),
                Down(Numpad1), Up(Numpad1), Down(AltRight), Up(AltRight)], producer.Input);

            // Tab goes to the guest, not to the browser's focus order.
            producer.ClearInput();
            await page.Page.Keyboard.PressAsync("Tab");
            await producer.WaitForInputAsync(e => e.Count >= 2, "Tab");
            Assert.Equal([Down(Tab), Up(Tab)], producer.Input);
            Assert.Equal("canvas", await page.Page.EvaluateAsync<string>("() => document.activeElement.id"));

            // Auto-repeat is another press; leaving the canvas releases every held key.
            producer.ClearInput();
            await page.Page.Keyboard.DownAsync("ControlLeft");
            await page.Page.Keyboard.DownAsync("KeyB");
            await page.Page.Keyboard.DownAsync("KeyB");
            await page.Page.Keyboard.DownAsync("KeyB");
            await producer.WaitForInputAsync(e => e.Count >= 4, "held keys with repeat");
            Assert.Equal([Down(ControlLeft), Down(KeyB), Down(KeyB), Down(KeyB)], producer.Input);
            int[] held = await page.GetAsync<int[]>("keysHeld");
            Assert.Equal(new[] { (int)ControlLeft, KeyB }, held.Order());
            await page.Page.EvaluateAsync("() => document.getElementById('canvas').blur()");
            await producer.WaitForInputAsync(e => e.Count >= 6, "release on blur");
            Assert.Equal(new[] { Up(ControlLeft), Up(KeyB) }.OrderBy(e => e.Code), producer.Input.Skip(4).OrderBy(e => e.Code));
            Assert.Empty(await page.GetAsync<int[]>("keysHeld"));
            await page.Page.Keyboard.UpAsync("KeyB");
            await page.Page.Keyboard.UpAsync("ControlLeft");

            // A key pressed before the canvas had focus still gets its release through.
            await page.Page.FocusAsync("#canvas");
            producer.ClearInput();
            await DispatchKeyAsync(page.Page, "keyup", "KeyC", "c");
            await producer.WaitForInputAsync(e => e.Count >= 1, "lone key-up");
            Assert.Equal([Up(KeyC)], producer.Input);

            // The toolbar's Ctrl+Alt+Del, and a combination from the extra-keys panel.
            producer.ClearInput();
            await page.Page.ClickAsync("#btn-cad");
            await producer.WaitForInputAsync(e => e.Count >= 6, "Ctrl+Alt+Del");
            Assert.Equal([Down(ControlLeft), Down(AltLeft), Down(Delete), Up(Delete), Up(AltLeft), Up(ControlLeft)], producer.Input);
            producer.ClearInput();
            await page.Page.ClickAsync("#btn-keys");
            await page.Page.ClickAsync("#keys-panel button:text-is('Alt+Tab')");
            await producer.WaitForInputAsync(e => e.Count >= 4, "Alt+Tab");
            Assert.Equal([Down(AltLeft), Down(Tab), Up(Tab), Up(AltLeft)], producer.Input);
        }
    }

    [Fact]
    public async Task Pointer_MapsTheFittedCanvasToFramePixels_WithButtonsAndWheel()
    {
        var (server, producer, region) = await StartAsync("mouse");
        using (region)
        using (producer)
        await using (server)
        await using (var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/mouse"), output, 1000, 700))
        {
            await page.WaitForLiveAsync();
            // 640x360 fitted into the window is scaled by more than 1: a frame pixel is several CSS pixels.
            double cssWidth = await page.Page.EvaluateAsync<double>("() => document.getElementById('canvas').getBoundingClientRect().width");
            Assert.True(cssWidth > 900, $"canvas is {cssWidth} CSS px wide");
            producer.ClearInput();

            var (x, y) = await ClientPointAsync(page.Page, 100, 50);
            await page.Page.Mouse.MoveAsync(x, y);
            await producer.WaitForInputAsync(e => e.Pointers().Any(p => p.X == 100 && p.Y == 50), "move to 100,50");
            await page.Page.Mouse.DownAsync();
            await page.Page.Mouse.UpAsync();
            (x, y) = await ClientPointAsync(page.Page, 639, 359);
            await page.Page.Mouse.ClickAsync(x, y, new MouseClickOptions { Button = MouseButton.Right });
            await page.Page.Mouse.ClickAsync(x, y, new MouseClickOptions { Button = MouseButton.Middle });
            await producer.WaitForInputAsync(e => e.Pointers().Count(p => p.Value == 0 && p.X == 639) >= 2, "clicks");
            List<InputEvent> edges = producer.Input.Pointers();
            int down = edges.FindIndex(p => p.Value == InputEvent.ButtonLeft);
            Assert.True(down >= 0, string.Join(", ", edges));
            Assert.Equal(InputEvent.Pointer(100, 50, InputEvent.ButtonLeft), edges[down]);
            Assert.Equal(InputEvent.Pointer(100, 50, 0), edges[down + 1]);
            Assert.Contains(InputEvent.Pointer(639, 359, InputEvent.ButtonRight), edges);
            Assert.Contains(InputEvent.Pointer(639, 359, InputEvent.ButtonMiddle), edges);
            Assert.Equal(-1, edges.FindIndex(p => p.X is < 0 or > 639 || p.Y is < 0 or > 359));

            // One notch down (100 px in Chromium) is 120 units; fractions add up.
            producer.ClearInput();
            await page.Page.Mouse.WheelAsync(0, 100);
            await producer.WaitForInputAsync(e => e.Any(w => w.Type == InputEventType.Wheel), "wheel");
            await page.Page.Mouse.WheelAsync(-50, 0);
            await page.Page.Mouse.WheelAsync(-50, 0);
            await producer.WaitForInputAsync(e => e.Where(w => w.Type == InputEventType.Wheel).Sum(w => w.X) <= -120, "horizontal wheel");
            List<InputEvent> wheels = producer.Input.FindAll(w => w.Type == InputEventType.Wheel);
            Assert.Equal(120, wheels.Sum(w => w.Y));
            Assert.Equal(-120, wheels.Sum(w => w.X));

            // Back and forward buttons, and no browser context menu over the console.
            int[] masks = await page.Page.EvaluateAsync<int[]>(
                "async () => { const m = await import('/core/pointer.js'); return [1, 2, 4, 8, 16, 3].map(m.buttonMask); }");
            Assert.Equal([1, 4, 2, 8, 16, 5], masks);
            Assert.False(await page.Page.EvaluateAsync<bool>(
                "() => document.getElementById('canvas').dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true }))"));
        }
    }

    [Fact]
    public async Task Pointer_InOneToOneModeOnHiDpi_MapsDevicePixels()
    {
        var (server, producer, region) = await StartAsync("hidpi");
        using (region)
        using (producer)
        await using (server)
        await using (var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/hidpi?scale=off"), output, 800, 600, 2))
        {
            await page.WaitForLiveAsync();
            Assert.Equal(320, await page.Page.EvaluateAsync<double>("() => document.getElementById('canvas').getBoundingClientRect().width"));
            producer.ClearInput();
            var (x, y) = await ClientPointAsync(page.Page, 301, 157);
            await page.Page.Mouse.ClickAsync(x, y);
            await producer.WaitForInputAsync(e => e.Contains(InputEvent.Pointer(301, 157, InputEvent.ButtonLeft)), "click at 301,157");
        }
    }

    [Fact]
    public async Task Touch_TapClicks_DragHoldsTheLeftButton_TwoFingersScroll()
    {
        var (server, producer, region) = await StartAsync("touch");
        using (region)
        using (producer)
        await using (server)
        await using (var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/touch"), output, 1000, 700, hasTouch: true))
        {
            await page.WaitForLiveAsync();
            producer.ClearInput();
            var (x, y) = await ClientPointAsync(page.Page, 200, 100);
            await page.Page.Touchscreen.TapAsync(x, y);
            await producer.WaitForInputAsync(e => e.Pointers().Count >= 2, "tap");
            // The press carries the position, so a separate move before it is folded into it.
            Assert.Equal([InputEvent.Pointer(200, 100, 1), InputEvent.Pointer(200, 100, 0)], producer.Input.Pointers());

            Fingers fingers = await Fingers.OnAsync(page.Page);
            Task Touch(string type, params (float X, float Y)[] points) => fingers.Send(type, points);

            // One finger: a drag with the left button held, released where the finger lifts.
            producer.ClearInput();
            var (x2, y2) = await ClientPointAsync(page.Page, 300, 200);
            await Touch("touchStart", (x, y));
            await Touch("touchMove", ((x + x2) / 2, (y + y2) / 2));
            await Touch("touchMove", (x2, y2));
            await Touch("touchEnd");
            await producer.WaitForInputAsync(e => e.Pointers().Any(p => p.Value == 0 && p.X == 300), "drag");
            List<InputEvent> drag = producer.Input.Pointers();
            Assert.Equal(InputEvent.Pointer(200, 100, 1), drag.First(p => p.Value == 1));
            Assert.Equal(InputEvent.Pointer(300, 200, 1), drag.Last(p => p.Value == 1));
            Assert.Equal(InputEvent.Pointer(300, 200, 0), drag[^1]);

            // Two fingers moving up: the wheel scrolls down; no button is pressed.
            producer.ClearInput();
            await Touch("touchStart", (x, y2), (x + 40, y2));
            for (int i = 1; i <= 5; i++)
            {
                await Touch("touchMove", (x, y2 - i * 20), (x + 40, y2 - i * 20));
            }
            await Touch("touchEnd");
            await producer.WaitForInputAsync(e => e.Where(w => w.Type == InputEventType.Wheel).Sum(w => w.Y) >= 200, "two-finger scroll");
            Assert.DoesNotContain(producer.Input, e => e.Type == InputEventType.Pointer && e.Value != 0);
            Assert.Equal(0, producer.Input.Where(w => w.Type == InputEventType.Wheel).Sum(w => w.X));
        }
    }

    [Fact]
    public async Task TypeText_TypesTheTextAsKeyPresses_AndTypingInTheBoxSendsNothing()
    {
        var (server, producer, region) = await StartAsync("type");
        using (region)
        using (producer)
        await using (server)
        await using (var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/type"), output))
        {
            await page.WaitForLiveAsync();
            producer.ClearInput();
            await page.Page.ClickAsync("#btn-type");
            await page.Page.Keyboard.TypeAsync("Hi!");
            await page.Page.Keyboard.PressAsync("Enter"); // a newline in the box
            await page.Page.Keyboard.PressAsync("Control+Enter"); // sends
            await producer.WaitForInputAsync(e => e.Count >= 12, "typed text");
            const ushort H = 35, I = 23, One = 2, Enter = 28;
            Assert.Equal([Down(ShiftLeft), Down(H), Up(H), Up(ShiftLeft), Down(I), Up(I), Down(ShiftLeft), Down(One), Up(One), Up(ShiftLeft),
                Down(Enter), Up(Enter)], producer.Input.Take(12));
            // When the server answers before Playwright lets go of Control+Enter, the panel has closed
            // and the canvas passes those two releases on (a key-up always goes through): only they may follow.
            Assert.All(producer.Input.Skip(12), e => Assert.Contains(e, new[] { Up(Enter), Up(ControlLeft) }));
            // The panel closes when the server answers the call, which may come just after the keys.
            await page.Page.WaitForSelectorAsync("#type-panel", new() { State = WaitForSelectorState.Hidden, Timeout = 10_000 });
            Assert.Equal("canvas", await page.Page.EvaluateAsync<string>("() => document.activeElement.id"));

            // A character without a key is refused whole, with the reason shown. (The release of
            // Control from Control+Enter reaches the canvas once the panel closes: let it arrive first.)
            await Task.Delay(300);
            producer.ClearInput();
            await page.Page.ClickAsync("#btn-type");
            await page.Page.FillAsync("#type-text", "café");
            await page.Page.ClickAsync("#type-send");
            await page.Page.WaitForFunctionAsync("() => document.getElementById('type-error').textContent.includes('U+00E9')");
            await Task.Delay(300);
            await producer.WaitForInputAsync(e => true, "nothing");
            Assert.Empty(producer.Input);
        }
    }
}
