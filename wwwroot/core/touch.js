import { frameCoordinates } from './coordinates.js';
import { NOTCH } from './wheel.js';

/** Movement (CSS px) under which a touch is still a tap. */
const TAP_SLOP = 10;
/** Finger travel (CSS px) that makes one wheel notch. */
const PIXELS_PER_NOTCH = 50;

const LEFT = 1;

/**
 * Touch on the canvas: a tap is a left click, a one-finger drag is a left-button drag, a
 * two-finger drag scrolls (the content follows the fingers, as on a touchpad).
 */
export default class Touch {
    constructor(canvas, queue, wheel, { onMove = () => {} } = {}) {
        this._canvas = canvas;
        this._queue = queue;
        this._wheel = wheel;
        this._onMove = onMove;
        this._mode = 'none'; // 'pending', 'drag', 'scroll'
        this._start = null;
        this._last = null;
        this.enabled = true;
        const options = { passive: false };
        canvas.addEventListener('touchstart', (e) => this._onStart(e), options);
        canvas.addEventListener('touchmove', (e) => this._onMove_(e), options);
        canvas.addEventListener('touchend', (e) => this._onEnd(e), options);
        canvas.addEventListener('touchcancel', (e) => this._onEnd(e), options);
    }

    _onStart(e) {
        e.preventDefault(); // no emulated mouse events, no page zoom or scroll
        if (!this.enabled) {
            return;
        }
        this._canvas.focus({ preventScroll: true });
        if (e.touches.length >= 2) {
            if (this._mode === 'drag') {
                this._release();
            }
            this._mode = 'scroll';
            this._last = centre(e.touches);
            return;
        }
        if (this._mode === 'none') {
            const t = e.touches[0];
            this._mode = 'pending';
            this._start = { x: t.clientX, y: t.clientY };
            this._last = this._start;
        }
    }

    _onMove_(e) {
        e.preventDefault();
        if (!this.enabled) {
            return;
        }
        if (this._mode === 'scroll' && e.touches.length >= 2) {
            const c = centre(e.touches);
            // Fingers moving up bring what is below into view: wheel down.
            this._wheel.add(-(c.x - this._last.x) * NOTCH / PIXELS_PER_NOTCH, -(c.y - this._last.y) * NOTCH / PIXELS_PER_NOTCH);
            this._last = c;
            return;
        }
        if (e.touches.length !== 1 || this._mode === 'scroll') {
            return;
        }
        const t = e.touches[0];
        if (this._mode === 'pending' && Math.hypot(t.clientX - this._start.x, t.clientY - this._start.y) >= TAP_SLOP) {
            this._mode = 'drag';
            this._pointer(this._start.x, this._start.y, 0);
            this._pointer(this._start.x, this._start.y, LEFT);
        }
        if (this._mode === 'drag') {
            this._pointer(t.clientX, t.clientY, LEFT);
        }
        this._last = { x: t.clientX, y: t.clientY };
    }

    _onEnd(e) {
        e.preventDefault();
        if (e.touches.length > 0) {
            return; // wait for the last finger
        }
        if (this.enabled) {
            if (this._mode === 'pending') {
                const { x, y } = this._start;
                this._pointer(x, y, 0);
                this._pointer(x, y, LEFT);
                this._pointer(x, y, 0);
            } else if (this._mode === 'drag') {
                this._release();
            }
        }
        this._mode = 'none';
    }

    _release() {
        this._pointer(this._last.x, this._last.y, 0);
    }

    _pointer(clientX, clientY, buttons) {
        const at = frameCoordinates(this._canvas, clientX, clientY);
        if (at) {
            this._onMove(at.x, at.y);
            this._queue.pointerTo(at.x, at.y, buttons);
        }
    }
}

function centre(touches) {
    let x = 0, y = 0;
    for (const t of touches) {
        x += t.clientX;
        y += t.clientY;
    }
    return { x: x / touches.length, y: y / touches.length };
}
