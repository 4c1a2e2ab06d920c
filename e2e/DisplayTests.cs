using Xunit.Abstractions;

namespace WebConsole.E2E;

/// <summary>wwwroot/core/display.js and its decoders in Chromium, fed synthetic updates (no server).</summary>
[Collection(SharedBrowser.Name)]
public sealed class DisplayTests(BrowserFixture browser, ITestOutputHelper output)
{
    // Shared by the scripts below: a Display on the page's canvas with a decoder table where
    // kind 9 is a fake decoder that paints data[0..2] as a colour after data[3] x 10 ms.
    private const string Setup =
        """
        const { default: Display } = await import('/core/display.js');
        const { default: SolidDecoder } = await import('/core/decoders/solid.js');
        const { default: createPngDecoder } = await import('/core/decoders/png.js');
        const { default: createJpegDecoder } = await import('/core/decoders/jpeg.js');
        const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
        const slow = {
            async decode(rect) {
                await sleep(rect.data[3] * 10);
                const colour = `rgb(${rect.data[0]} ${rect.data[1]} ${rect.data[2]})`;
                return { draw(ctx) { ctx.fillStyle = colour; ctx.fillRect(rect.x, rect.y, rect.w, rect.h); }, release() {} };
            },
        };
        const decoders = new Map([[0, new SolidDecoder()], [1, createPngDecoder()], [2, createJpegDecoder()], [9, slow]]);
        const canvas = document.getElementById('canvas');
        const acks = [], presented = [];
        const display = new Display(canvas, { ack: (id) => acks.push(id), decoders });
        display.addEventListener('present', (e) => presented.push(e.detail.frameId));
        const ctx = canvas.getContext('2d');
        const pixel = (x, y) => Array.from(ctx.getImageData(x, y, 1, 1).data);
        const rect = (x, y, w, h, kind, data) => ({ x, y, w, h, kind, data: new Uint8Array(data) });
        const frames = (n) => new Promise((r) => { const step = () => (n-- > 0 ? requestAnimationFrame(step) : r()); step(); });
        """;

    [Fact]
    public async Task Display_PresentsInArrivalOrderWhenDecodesFinishOutOfOrder()
    {
        await using var page = await ClientPage.OpenAsync(browser.Browser, output);
        int[] result = await page.RunAsync<int[]>(
            $$"""
            async () => {
                {{Setup}}
                display.resize(32, 32);
                display.enqueue({ frameId: 1, rects: [rect(0, 0, 32, 32, 9, [255, 0, 0, 20])] }); // slow, whole canvas red
                display.enqueue({ frameId: 2, rects: [rect(0, 0, 8, 8, 9, [0, 0, 255, 0])] });    // fast, blue corner
                await sleep(300);
                await frames(3);
                return [...presented, ...acks, ...pixel(0, 0), ...pixel(20, 20)];
            }
            """);
        // presented 1, 2; acked 1, 2; the corner is blue (update 2 drawn last); the rest red.
        Assert.Equal("1,2,1,2,0,0,255,255,255,0,0,255", string.Join(",", result));
    }

    [Fact]
    public async Task Display_ShowsAWholeUpdateAtOnceNeverHalf()
    {
        await using var page = await ClientPage.OpenAsync(browser.Browser, output);
        int[] result = await page.RunAsync<int[]>(
            $$"""
            async () => {
                {{Setup}}
                display.resize(32, 32);
                await frames(2);
                display.enqueue({ frameId: 7, rects: [rect(0, 0, 8, 8, 9, [0, 255, 0, 0]), rect(16, 16, 8, 8, 9, [0, 255, 0, 15])] });
                await sleep(60);
                await frames(2);
                const during = [...pixel(0, 0), presented.length]; // the fast half is decoded, the slow half is not
                await sleep(200);
                await frames(2);
                return [...during, ...pixel(0, 0), ...pixel(16, 16), presented.length, display.frameId];
            }
            """);
        Assert.Equal("0,0,0,255,0,0,255,0,255,0,255,0,255,1,7", string.Join(",", result));
    }

    // Animation frames under the test's control: requestAnimationFrame only collects callbacks.
    private const string ManualFrames =
        """
        const pendingFrames = [];
        window.requestAnimationFrame = (cb) => pendingFrames.push(cb);
        const runFrame = () => { for (const cb of pendingFrames.splice(0)) { cb(performance.now()); } };
        """;

    [Fact]
    public async Task Display_DrawsAnUpdateAsSoonAsDecodedAndCoalescesTheRestOfTheFrame()
    {
        await using var page = await ClientPage.OpenAsync(browser.Browser, output);
        int[] result = await page.RunAsync<int[]>(
            $$"""
            async () => {
                {{Setup}}
                {{ManualFrames}}
                display.resize(8, 8);
                runFrame();
                display.enqueue({ frameId: 1, rects: [rect(0, 0, 8, 8, 0, [10, 0, 0])] });
                await sleep(30);
                const first = [pixel(0, 0)[0], presented.length]; // drawn with no animation frame in between
                display.enqueue({ frameId: 2, rects: [rect(0, 0, 8, 8, 0, [20, 0, 0])] });
                display.enqueue({ frameId: 3, rects: [rect(0, 0, 4, 4, 9, [30, 0, 0, 2])] }); // slower to decode
                await sleep(60);
                const burst = [pixel(0, 0)[0], presented.length]; // the same frame interval: they wait for the frame
                runFrame();
                const framed = [pixel(0, 0)[0], pixel(6, 6)[0], presented.length];
                runFrame(); // a frame with nothing to draw
                display.enqueue({ frameId: 4, rects: [rect(0, 0, 8, 8, 0, [40, 0, 0])] });
                await sleep(30);
                return [...first, ...burst, ...framed, pixel(0, 0)[0], ...presented, ...acks];
            }
            """);
        // 1 at once; 2 and 3 together (in order: 3's corner over 2) at the frame; 4 at once again.
        Assert.Equal([10, 1, 10, 1, 30, 20, 3, 40, 1, 2, 3, 4, 1, 2, 3, 4], result);
    }

    [Fact]
    public async Task Display_WithPresentFrame_DrawsOnlyAtAnimationFrames()
    {
        await using var page = await ClientPage.OpenAsync(browser.Browser, output);
        int[] result = await page.RunAsync<int[]>(
            $$"""
            async () => {
                {{Setup}}
                {{ManualFrames}}
                const framedDisplay = new Display(canvas, { decoders, present: 'frame' });
                framedDisplay.resize(8, 8);
                runFrame();
                framedDisplay.enqueue({ frameId: 1, rects: [rect(0, 0, 8, 8, 0, [10, 0, 0])] });
                await sleep(30);
                const before = [pixel(0, 0)[0], framedDisplay.framesPresented];
                runFrame();
                return [...before, pixel(0, 0)[0], framedDisplay.framesPresented];
            }
            """);
        Assert.Equal([0, 0, 10, 1], result);
    }

    [Fact]
    public async Task Decoders_SolidAndPngAreExactAndJpegIsClose()
    {
        await using var page = await ClientPage.OpenAsync(browser.Browser, output);
        int[] result = await page.RunAsync<int[]>(
            $$"""
            async () => {
                {{Setup}}
                const encode = async (type, paint) => {
                    const c = new OffscreenCanvas(16, 16), g = c.getContext('2d');
                    paint(g);
                    return new Uint8Array(await (await c.convertToBlob({ type, quality: 0.95 })).arrayBuffer());
                };
                const png = await encode('image/png', (g) => { g.fillStyle = 'rgb(10 20 30)'; g.fillRect(0, 0, 16, 16); g.fillStyle = 'rgb(250 251 252)'; g.fillRect(3, 5, 1, 1); });
                const jpeg = await encode('image/jpeg', (g) => { g.fillStyle = 'rgb(200 100 50)'; g.fillRect(0, 0, 16, 16); });
                display.resize(48, 16);
                display.enqueue({ frameId: 1, rects: [rect(0, 0, 16, 16, 0, [7, 8, 9]), { x: 16, y: 0, w: 16, h: 16, kind: 1, data: png }, { x: 32, y: 0, w: 16, h: 16, kind: 2, data: jpeg }] });
                await sleep(200);
                await frames(2);
                return [...pixel(15, 15), ...pixel(16, 0), ...pixel(19, 5), ...pixel(40, 8), ...acks];
            }
            """);
        Assert.Equal([7, 8, 9, 255, 10, 20, 30, 255, 250, 251, 252, 255], result[..12]);
        Assert.InRange(result[12], 196, 204);
        Assert.InRange(result[13], 96, 104);
        Assert.InRange(result[14], 46, 54);
        Assert.Equal(1, result[^1]);
    }

    [Fact]
    public async Task PauseAcks_WithholdsAcknowledgementsUntilResumed()
    {
        await using var page = await ClientPage.OpenAsync(browser.Browser, output);
        int[] result = await page.RunAsync<int[]>(
            $$"""
            async () => {
                {{Setup}}
                display.resize(8, 8);
                display.enqueue({ frameId: 1, rects: [rect(0, 0, 8, 8, 0, [1, 1, 1])] });
                await sleep(50); await frames(2);
                display.pauseAcks = true;
                display.enqueue({ frameId: 2, rects: [rect(0, 0, 8, 8, 0, [2, 2, 2])] });
                display.enqueue({ frameId: 3, rects: [rect(0, 0, 8, 8, 0, [3, 3, 3])] });
                await sleep(50); await frames(2);
                const paused = [acks.length, display.framesPresented, pixel(0, 0)[0]];
                display.pauseAcks = false;
                return [...paused, ...acks];
            }
            """);
        // While paused: one ack, three presented, picture of update 3; resumed: 2 and 3 acked.
        Assert.Equal([1, 3, 3, 1, 2, 3], result);
    }

    [Fact]
    public async Task Display_BadRectangleIsReportedAndStillAcknowledged()
    {
        await using var page = await ClientPage.OpenAsync(browser.Browser, output);
        string result = await page.RunAsync<string>(
            $$"""
            async () => {
                {{Setup}}
                const errors = [];
                display.addEventListener('decodeerror', (e) => errors.push(`${e.detail.frameId}: ${e.detail.error.message}`));
                display.resize(8, 8);
                display.enqueue({ frameId: 5, rects: [rect(0, 0, 8, 8, 42, [0]), rect(0, 0, 4, 4, 1, [1, 2, 3])] });
                await sleep(100); await frames(2);
                return `${acks.join(',')} | ${errors.join(' / ')}`;
            }
            """);
        Assert.StartsWith("5 | 5: unknown rectangle kind 42", result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Display_ResizeKeepsWhatOverlapsAndSkipsASameSizeResize()
    {
        await using var page = await ClientPage.OpenAsync(browser.Browser, output);
        int[] result = await page.RunAsync<int[]>(
            $$"""
            async () => {
                {{Setup}}
                const sizes = [];
                display.addEventListener('resize', (e) => sizes.push(e.detail.width));
                display.resize(16, 16);
                display.enqueue({ frameId: 1, rects: [rect(0, 0, 16, 16, 0, [90, 80, 70])] });
                display.resize(16, 16); // the join result after the first update: no clearing
                display.resize(24, 8);
                await sleep(50); await frames(2);
                return [...sizes, canvas.width, canvas.height, ...pixel(15, 7), ...pixel(20, 4)];
            }
            """);
        Assert.Equal([16, 24, 24, 8, 90, 80, 70, 255, 0, 0, 0, 255], result);
    }
}
