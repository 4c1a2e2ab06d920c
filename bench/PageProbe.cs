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
    /// latency into "until the update reached the page" and "decode and present". The page gets
    /// the browser's own WebSocket objects (not a subclass): noVNC checks that the object's
    /// prototype itself has <c>send</c>, <c>close</c> and the rest.
    /// </summary>
    public const string WebSocketCounter = """
        (() => {
            const ws = { messages: 0, bytes: 0, small: 0, arrivals: [] };
            window.__ws = ws;
            const Native = window.WebSocket;
            const Counted = function (...args) {
                const socket = new Native(...args);
                socket.addEventListener('message', (e) => {
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
                return socket;
            };
            Counted.prototype = Native.prototype;
            for (const name of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) {
                Counted[name] = Native[name];
            }
            window.WebSocket = Counted;
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

    /// <summary>
    /// An init script for any console page (WebConsole's or noVNC's), installing
    /// <c>window.__peers</c>. The console's canvas is the largest one in the document: noVNC draws
    /// into a detached back buffer and copies it over, a cursor overlay is smaller. After
    /// <c>arm({ x, y, rgb })</c>, every <c>drawImage</c>, <c>putImageData</c> or <c>fillRect</c> on
    /// that canvas (WebConsole fills solid tiles straight onto it) reads the pixel at (x, y) right
    /// after the call, and each animation frame reads it too (as <see cref="Latency"/>: from a task
    /// posted by a requestAnimationFrame callback); <c>seen()</c> resolves with the wall-clock ms of
    /// the first draw call and the first frame that showed the colour (each channel within 40: JPEG
    /// moves colours a little). Unarmed, the hooks cost one comparison.
    /// </summary>
    public const string CanvasDraws = """
        (() => {
            const now = () => performance.timeOrigin + performance.now();
            const getImageData = CanvasRenderingContext2D.prototype.getImageData;
            const probe = { canvas: null, ctx: null, want: null, draw: null, frame: null, resolve: null };
            window.__peers = probe;
            probe.find = () => {
                let best = null;
                for (const c of document.querySelectorAll('canvas')) {
                    if (!best || c.width * c.height > best.width * best.height) {
                        best = c;
                    }
                }
                return best;
            };
            const matches = () => {
                const d = getImageData.call(probe.ctx, probe.x, probe.y, 1, 1).data;
                const w = probe.want;
                return Math.abs(d[0] - w[0]) <= 40 && Math.abs(d[1] - w[1]) <= 40 && Math.abs(d[2] - w[2]) <= 40;
            };
            for (const name of ['drawImage', 'putImageData', 'fillRect']) {
                const draw = CanvasRenderingContext2D.prototype[name];
                CanvasRenderingContext2D.prototype[name] = function (...args) {
                    const result = draw.apply(this, args);
                    if (probe.want !== null && probe.draw === null && this.canvas === probe.canvas && matches()) {
                        probe.draw = now();
                    }
                    return result;
                };
            }
            probe.arm = ({ x, y, rgb }) => {
                probe.canvas = probe.find();
                probe.ctx = probe.canvas.getContext('2d');
                Object.assign(probe, { x, y, want: [(rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255], draw: null, frame: null, resolve: null });
            };
            const result = () => ({ draw: probe.draw, frame: probe.frame });
            probe.seen = () => new Promise((resolve) => {
                if (probe.frame !== null) {
                    resolve(result());
                } else {
                    probe.resolve = resolve;
                }
            });
            // What the canvas shows at (x, y) now, 0xRRGGBB, for a failure message.
            probe.pixel = () => {
                const d = getImageData.call(probe.ctx, probe.x, probe.y, 1, 1).data;
                return (d[0] << 16) | (d[1] << 8) | d[2];
            };
            const channel = new MessageChannel();
            channel.port1.onmessage = () => {
                if (probe.want !== null && probe.frame === null && probe.ctx !== null && matches()) {
                    probe.frame = now();
                    probe.want = null;
                    probe.resolve?.(result());
                }
                requestAnimationFrame(() => channel.port2.postMessage(null));
            };
            requestAnimationFrame(() => channel.port2.postMessage(null));
        })();
        """;

    /// <summary>
    /// <c>({ corners, block, blocks }) =&gt; void</c> after <see cref="CanvasDraws"/>: installs
    /// <c>window.__peerAnimation</c>, which reads the frame counter (as <see cref="Animation"/>
    /// spells it) at each corner of the console's canvas in every animation frame, without the
    /// WebConsole hook, so it works on any page. Delivered: distinct counters seen at any corner;
    /// untorn: distinct counters seen with every corner agreeing; torn: distinct canvas states
    /// whose corners disagree. <c>reset()</c> starts a window, <c>summary()</c> ends it.
    /// </summary>
    public const string CanvasAnimation = """
        ({ corners, block, blocks }) => {
            const ctx = window.__peers.find().getContext('2d');
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
                Object.assign(probe, { started: performance.now(), frames: 0, delivered: new Set(), untorn: new Set(), torn: 0, tornExamples: [], last: '' });
            };
            probe.summary = () => ({
                seconds: (performance.now() - probe.started) / 1000, frames: probe.frames,
                delivered: probe.delivered.size, untorn: probe.untorn.size, torn: probe.torn, tornExamples: probe.tornExamples,
            });
            const channel = new MessageChannel();
            channel.port1.onmessage = () => {
                probe.frames++;
                const counters = corners.map(read);
                const key = counters.join(',');
                if (key !== probe.last) {
                    probe.last = key;
                    for (const c of counters) {
                        probe.delivered.add(c);
                    }
                    if (counters.every((c) => c === counters[0])) {
                        probe.untorn.add(counters[0]);
                    } else {
                        probe.torn++;
                        if (probe.tornExamples.length < 5) {
                            probe.tornExamples.push(counters);
                        }
                    }
                }
                requestAnimationFrame(() => channel.port2.postMessage(null));
            };
            probe.reset();
            requestAnimationFrame(() => channel.port2.postMessage(null));
            window.__peerAnimation = probe;
        }
        """;
}
