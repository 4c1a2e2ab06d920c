/** One notch of a wheel in the region's units. */
export const NOTCH = 120;

/** Pixels browsers scroll per notch (Chromium and Firefox on Linux and Windows: 100 at 100 % zoom). */
const PIXELS_PER_NOTCH = 100;
/** Lines per notch (Firefox reports lines). */
const LINES_PER_NOTCH = 3;

/**
 * The wheel over the canvas as wheel events in 1/120 notch units: pixel, line and page deltas
 * are normalised, fractions (touchpads send small pixel steps) accumulate until they make a
 * whole unit, and the steps of one animation frame go out as one event.
 */
export default class Wheel {
    constructor(canvas, queue) {
        this._queue = queue;
        this._dx = 0;
        this._dy = 0;
        this._queued = false;
        this.enabled = true;
        canvas.addEventListener('wheel', (e) => this._onWheel(e), { passive: false });
    }

    /** Adds a delta in 1/120 notch units (may be fractional); sent with the next animation frame. */
    add(dx, dy) {
        this._dx += dx;
        this._dy += dy;
        if (!this._queued) {
            this._queued = true;
            const run = () => {
                this._queued = false;
                this._send();
            };
            if (document.visibilityState === 'visible') {
                requestAnimationFrame(run);
            } else {
                setTimeout(run, 16);
            }
        }
    }

    _onWheel(e) {
        e.preventDefault();
        if (!this.enabled) {
            return;
        }
        let scale;
        switch (e.deltaMode) {
            case WheelEvent.DOM_DELTA_LINE: scale = NOTCH / LINES_PER_NOTCH; break;
            case WheelEvent.DOM_DELTA_PAGE: scale = NOTCH * LINES_PER_NOTCH; break;
            default: scale = NOTCH / PIXELS_PER_NOTCH; break;
        }
        this.add(e.deltaX * scale, e.deltaY * scale);
    }

    _send() {
        const dx = Math.trunc(this._dx), dy = Math.trunc(this._dy);
        this._dx -= dx;
        this._dy -= dy;
        this._queue.wheel(dx, dy);
    }
}
