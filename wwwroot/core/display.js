import { RectKind } from './encodings.js';
import SolidDecoder from './decoders/solid.js';
import createPngDecoder from './decoders/png.js';
import createJpegDecoder from './decoders/jpeg.js';
import LossyTiles from './lossy-tiles.js';

/** How many presented updates the display remembers for tests and diagnostics. */
const HISTORY = 64;

/**
 * The console's canvas. Updates and resizes go through one queue: every rectangle of an
 * update starts decoding at once (in parallel, finishing in any order), but entries leave
 * the queue strictly in arrival order, and a whole update is drawn in one task, so a viewer
 * never sees half an update. When nothing has been drawn since the last animation frame, an
 * update is drawn as soon as its last rectangle is decoded (a keystroke after a quiet moment
 * does not wait up to a frame); further updates in the same frame interval coalesce and are
 * drawn together at the next animation frame. `present: 'frame'` (`?present=frame`) always
 * waits for the frame, as before, for comparison. Each presented update is acknowledged
 * through the ack callback; the server sends nothing more while two are unacknowledged.
 *
 * The canvas backing store is exactly the frame size and nothing is ever drawn scaled
 * into it: scaling is CSS only (see Viewport).
 *
 * Events: "resize" (the canvas got a new size), "present" ({ frameId, rects }),
 * "decodeerror" ({ frameId, error }: the picture may be wrong until the next full update).
 */
export default class Display extends EventTarget {
    constructor(canvas, { ack = () => {}, decoders = null, present = 'decoded' } = {}) {
        super();
        this._canvas = canvas;
        this._ctx = canvas.getContext('2d', { alpha: false });
        this._ctx.imageSmoothingEnabled = false;
        this._ack = ack;
        this._decoders = decoders ?? new Map([
            [RectKind.solid, new SolidDecoder()],
            [RectKind.png, createPngDecoder()],
            [RectKind.jpeg, createJpegDecoder()],
        ]);
        this._queue = [];
        this._generation = 0;
        this._frameRequested = false;
        this._presentAtOnce = present !== 'frame';
        this._drewSinceFrame = false;
        this._pauseAcks = false;
        this._withheld = [];
        this._frameId = -1;
        this._framesPresented = 0;
        this._history = [];
        this._lossy = new LossyTiles();
        this._quality = 0;
        this._refreshes = 0;
    }

    get width() { return this._canvas.width; }

    get height() { return this._canvas.height; }

    /** The id of the last update drawn, -1 before the first. */
    get frameId() { return this._frameId; }

    get framesPresented() { return this._framesPresented; }

    /** Share of the picture (by 64x64 tiles) still showing JPEG pixels, waiting for the server's lossless refresh. */
    get lossyShare() { return this._lossy.share; }

    /** The JPEG quality of the last update that had JPEG in it (0 before any). */
    get quality() { return this._quality; }

    /** Lossless refresh updates presented so far. */
    get refreshes() { return this._refreshes; }

    /** Recently presented updates, oldest first: { frameId, refresh, rects: [{ x, y, w, h, kind }] }. */
    get history() { return this._history; }

    /** Test hook: while true, presented updates are drawn but not acknowledged. */
    get pauseAcks() { return this._pauseAcks; }

    set pauseAcks(value) {
        this._pauseAcks = Boolean(value);
        if (!this._pauseAcks) {
            const withheld = this._withheld;
            this._withheld = [];
            for (const frameId of withheld) {
                this._ack(frameId);
            }
        }
    }

    /** Queues an "Update" message; its rectangles start decoding now. */
    enqueue(update) {
        const entry = {
            type: 'update', frameId: update.frameId, rects: update.rects, quality: update.quality ?? 0, refresh: Boolean(update.refresh),
            settled: false, drawables: [], error: null,
        };
        this._queue.push(entry);
        const generation = this._generation;
        Promise.allSettled(update.rects.map((rect) => this._decode(rect))).then((results) => {
            for (const result of results) {
                if (result.status === 'fulfilled') {
                    entry.drawables.push(result.value);
                } else {
                    entry.error ??= result.reason;
                }
            }
            if (generation !== this._generation) {
                Display._release(entry); // dropped by reset() while decoding
                return;
            }
            entry.settled = true;
            this._schedule();
        });
    }

    /** Queues a size change, applied after every update queued before it. */
    resize(width, height) {
        this._queue.push({ type: 'resize', width, height, settled: true });
        this._schedule();
    }

    /**
     * Forgets queued updates and unsent acknowledgements: they belong to a connection that
     * is gone. The picture stays, so a reconnecting viewer still sees the last frame.
     */
    reset() {
        this._generation++;
        for (const entry of this._queue) {
            if (entry.settled) {
                Display._release(entry);
            }
        }
        this._queue = [];
        this._withheld = [];
    }

    _decode(rect) {
        const decoder = this._decoders.get(rect.kind);
        if (!decoder) {
            return Promise.reject(new Error(`unknown rectangle kind ${rect.kind}`));
        }
        return decoder.decode(rect);
    }

    _schedule() {
        if (this._frameRequested || this._queue.length === 0 || !this._queue[0].settled) {
            return;
        }
        this._frameRequested = true;
        if (this._presentAtOnce && !this._drewSinceFrame) {
            // Nothing drawn in this frame interval: draw now; what comes before the next frame waits for it.
            this._drewSinceFrame = true;
            this._present();
            this._frameRequested = true;
            requestAnimationFrame(() => {
                this._drewSinceFrame = false;
                this._present();
            });
            return;
        }
        requestAnimationFrame(() => this._present());
    }

    /** Draws every entry at the head of the queue that is ready, in order, then acknowledges. */
    _present() {
        this._frameRequested = false;
        const presented = [];
        while (this._queue.length > 0 && this._queue[0].settled) {
            const entry = this._queue.shift();
            if (entry.type === 'resize') {
                this._applyResize(entry.width, entry.height);
                continue;
            }
            for (const drawable of entry.drawables) {
                drawable.draw(this._ctx);
            }
            Display._release(entry);
            this._lossy.apply(entry.rects);
            this._quality = entry.quality || this._quality;
            this._refreshes += entry.refresh ? 1 : 0;
            this._frameId = entry.frameId;
            this._framesPresented++;
            this._history.push({ frameId: entry.frameId, refresh: entry.refresh, rects: entry.rects.map(({ x, y, w, h, kind }) => ({ x, y, w, h, kind })) });
            if (this._history.length > HISTORY) {
                this._history.shift();
            }
            presented.push(entry);
        }
        for (const entry of presented) {
            if (this._pauseAcks) {
                this._withheld.push(entry.frameId);
            } else {
                this._ack(entry.frameId);
            }
            if (entry.error) {
                this.dispatchEvent(new CustomEvent('decodeerror', { detail: { frameId: entry.frameId, error: entry.error } }));
            }
            this.dispatchEvent(new CustomEvent('present', { detail: { frameId: entry.frameId, rects: entry.rects } }));
        }
    }

    /** A new size keeps what overlaps of the old picture, so a late size change never blanks a drawn frame. */
    _applyResize(width, height) {
        const canvas = this._canvas;
        if (this._lossy.width !== width || this._lossy.height !== height) {
            this._lossy.resize(width, height);
        }
        if (canvas.width === width && canvas.height === height) {
            return;
        }
        let keep = null;
        const w = Math.min(width, canvas.width), h = Math.min(height, canvas.height);
        if (this._framesPresented > 0 && w > 0 && h > 0) {
            keep = this._ctx.getImageData(0, 0, w, h);
        }
        canvas.width = width;
        canvas.height = height;
        this._ctx.imageSmoothingEnabled = false; // a new size resets the context's state
        this._ctx.fillStyle = '#000';
        this._ctx.fillRect(0, 0, width, height);
        if (keep) {
            this._ctx.putImageData(keep, 0, 0);
        }
        this.dispatchEvent(new CustomEvent('resize', { detail: { width, height } }));
    }

    static _release(entry) {
        for (const drawable of entry.drawables ?? []) { // a queued resize has none
            drawable.release();
        }
        entry.drawables = [];
    }
}
