namespace WebConsole.Bench;

/// <summary>
/// JavaScript the end-to-end benchmarks inject into a console page. Both probes read the canvas
/// once per animation frame, from a task posted by a requestAnimationFrame callback: that task
/// runs after every callback of the frame (the display presents updates in one of them), so a
/// pixel drawn in a frame is read in the same frame, not one frame later.
/// </summary>
internal static class PageProbe
{
    /// <summary>
    /// An init script (runs before the page's own scripts): every WebSocket the page opens counts
    /// the messages it receives and their payload bytes in <c>window.__ws</c>, and records in
    /// <c>window.__ws.arrivals</c> the wall-clock time and size of each message of 256 bytes or
    /// more (updates, not pings), from a listener that runs before SignalR's. The arrivals split a
    /// latency into "until the update reached the page" and "decode and present".
    /// </summary>
    public const string WebSocketCounter = """
        (() => {
            const ws = { messages: 0, bytes: 0, small: 0, arrivals: [] };
            window.__ws = ws;
            const Native = window.WebSocket;
            window.WebSocket = class extends Native {
                constructor(...args) {
                    super(...args);
                    this.addEventListener('message', (e) => {
                        const bytes = typeof e.data === 'string' ? e.data.length : (e.data.byteLength ?? e.data.size);
                        ws.messages++;
                        ws.bytes += bytes;
                        if (bytes < 256) {
                            ws.small++;
                            return;
                        }
                        ws.arrivals.push({ at: performance.timeOrigin + performance.now(), bytes });
                        if (ws.arrivals.length > 4096) {
                            ws.arrivals.splice(0, 2048);
                        }
                    });
                }
            };
        })();
        """;

    /// <summary>
    /// An init script that times the display's work without changing it: each
    /// <c>createImageBitmap</c> or <c>ImageDecoder.decode</c> call (start and finish) and each <c>drawImage</c> or <c>putImageData</c> on a canvas, in
    /// <c>window.__trace</c>, wall-clock ms.
    /// </summary>
    public const string DrawTrace = """
        (() => {
            const now = () => performance.timeOrigin + performance.now();
            const trace = { decodes: [], draws: [] };
            window.__trace = trace;
            const trim = (list) => {
                if (list.length > 4096) {
                    list.splice(0, 2048);
                }
            };
            const createImageBitmap = window.createImageBitmap;
            window.createImageBitmap = function (...args) {
                const start = now();
                return createImageBitmap.apply(this, args).then((bitmap) => {
                    trace.decodes.push({ start, end: now() });
                    trim(trace.decodes);
                    return bitmap;
                });
            };
            if (typeof ImageDecoder === 'function') {
                const decode = ImageDecoder.prototype.decode;
                ImageDecoder.prototype.decode = function (...args) {
                    const start = now();
                    return decode.apply(this, args).then((result) => {
                        trace.decodes.push({ start, end: now() });
                        trim(trace.decodes);
                        return result;
                    });
                };
            }
            // Rectangles reach the canvas through drawImage (bitmaps, RGB frames, PNG) or putImageData (converted JPEG).
            for (const name of ['drawImage', 'putImageData']) {
                const draw = CanvasRenderingContext2D.prototype[name];
                CanvasRenderingContext2D.prototype[name] = function (...args) {
                    const start = now();
                    const result = draw.apply(this, args);
                    trace.draws.push({ start, end: now() });
                    trim(trace.draws);
                    return result;
                };
            }
        })();
        """;

    /// <summary>
    /// <c>([written, seen]) =&gt; { arrival, bytes, decoded, drawn }</c>: where the time of one
    /// latency sample went: the first update message after the write, the end of the last
    /// decode between it and the pixel, and the last <c>drawImage</c> before the pixel was seen.
    /// </summary>
    public const string Breakdown = """
        ([written, seen]) => {
            // A part with nothing to time (no decode traced, say) comes back as null: NaN does not cross to .NET.
            const finite = (v) => (Number.isFinite(v) ? v : null);
            const arrival = window.__ws.arrivals.find((a) => a.at >= written);
            if (!arrival) {
                return { arrival: null, bytes: null, decoded: null, drawn: null, drawing: null };
            }
            const decodes = window.__trace.decodes.filter((d) => d.start >= arrival.at && d.end <= seen);
            const decoded = decodes.length ? Math.max(...decodes.map((d) => d.end)) : NaN;
            const draws = window.__trace.draws.filter((d) => d.start >= arrival.at && d.end <= seen);
            const drawn = draws.length ? draws[draws.length - 1].start : NaN;
            const drawing = draws.reduce((sum, d) => sum + d.end - d.start, 0);
            return { arrival: arrival.at, bytes: arrival.bytes, decoded: finite(decoded), drawn: finite(drawn), drawing };
        }
        """;

    /// <summary>
    /// <c>({ x, y }) =&gt; void</c>: installs <c>window.__latencyProbe</c>, which watches the pixel at
    /// (x, y) and records, each time it turns from one marker colour to the other, the colour
    /// (1 red, 2 blue) and the wall-clock time (<c>performance.timeOrigin + performance.now()</c>, ms)
    /// of the animation frame that showed it. <c>waitFor(n)</c> resolves with the n-th record.
    /// </summary>
    public const string Latency = """
        ({ x, y }) => {
            const ctx = document.getElementById('canvas').getContext('2d');
            const probe = { seen: [], last: 0, frames: 0, started: performance.now(), waiters: [] };
            // JPEG moves colours a little: classify by the dominant channel.
            const classify = (d) => (d[0] > 160 && d[2] < 96 ? 1 : d[2] > 160 && d[0] < 96 ? 2 : 0);
            const channel = new MessageChannel();
            channel.port1.onmessage = () => {
                const at = performance.timeOrigin + performance.now();
                probe.frames++;
                const colour = classify(ctx.getImageData(x, y, 1, 1).data);
                if (colour !== 0 && colour !== probe.last) {
                    probe.last = colour;
                    probe.seen.push({ colour, at });
                    probe.waiters = probe.waiters.filter((w) => {
                        if (probe.seen.length < w.n) {
                            return true;
                        }
                        w.resolve(probe.seen[w.n - 1]);
                        return false;
                    });
                }
                requestAnimationFrame(() => channel.port2.postMessage(null));
            };
            requestAnimationFrame(() => channel.port2.postMessage(null));
            probe.waitFor = (n) => new Promise((resolve) => {
                if (probe.seen.length >= n) {
                    resolve(probe.seen[n - 1]);
                } else {
                    probe.waiters.push({ n, resolve });
                }
            });
            probe.framesPerSecond = () => probe.frames * 1000 / (performance.now() - probe.started);
            window.__latencyProbe = probe;
        }
        """;

    /// <summary>
    /// <c>({ corners, block, bits }) =&gt; void</c>: installs <c>window.__animationProbe</c>. Each
    /// corner is a strip of blocks whose colours (R, G, B each on or off) spell a frame counter,
    /// three bits per block. In every animation frame where <c>framesPresented</c> moved, the probe
    /// reads the centre of each block of each corner: corners that disagree mean a torn frame.
    /// <c>reset()</c> starts a measuring window, <c>summary()</c> ends it.
    /// </summary>
    public const string Animation = """
        ({ corners, block, blocks }) => {
            const ctx = document.getElementById('canvas').getContext('2d');
            const hook = window.webConsole;
            const probe = {};
            const read = ([cx, cy]) => {
                const row = ctx.getImageData(cx, cy + (block >> 1), block * blocks, 1).data;
                let counter = 0;
                for (let k = 0; k < blocks; k++) {
                    const i = (k * block + (block >> 1)) * 4;
                    const bits = (row[i] > 127 ? 1 : 0) | (row[i + 1] > 127 ? 2 : 0) | (row[i + 2] > 127 ? 4 : 0);
                    counter |= bits << (3 * k);
                }
                return counter;
            };
            probe.reset = () => {
                Object.assign(probe, {
                    started: performance.now(), presented0: hook.framesPresented, lastPresented: hook.framesPresented,
                    frames: 0, newFrames: 0, distinct: 0, torn: 0, tornExamples: [], skipped: 0, lastCounter: -1,
                });
            };
            probe.summary = () => ({
                seconds: (performance.now() - probe.started) / 1000,
                presented: hook.framesPresented - probe.presented0,
                frames: probe.frames, newFrames: probe.newFrames, distinct: probe.distinct,
                torn: probe.torn, tornExamples: probe.tornExamples, skipped: probe.skipped,
            });
            const modulus = 1 << (3 * blocks);
            const channel = new MessageChannel();
            channel.port1.onmessage = () => {
                probe.frames++;
                const presented = hook.framesPresented;
                if (presented !== probe.lastPresented) {
                    probe.lastPresented = presented;
                    probe.newFrames++;
                    const counters = corners.map(read);
                    if (counters.some((c) => c !== counters[0])) {
                        probe.torn++;
                        if (probe.tornExamples.length < 5) {
                            probe.tornExamples.push(counters);
                        }
                    } else if (counters[0] !== probe.lastCounter) {
                        if (probe.lastCounter >= 0) {
                            probe.skipped += (counters[0] - probe.lastCounter - 1 + modulus) % modulus;
                        }
                        probe.lastCounter = counters[0];
                        probe.distinct++;
                    }
                }
                requestAnimationFrame(() => channel.port2.postMessage(null));
            };
            probe.reset();
            requestAnimationFrame(() => channel.port2.postMessage(null));
            window.__animationProbe = probe;
        }
        """;
}
