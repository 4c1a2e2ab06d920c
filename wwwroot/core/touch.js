import { frameCoordinates } from './coordinates.js';
import { NOTCH } from './wheel.js';

/** Movement (CSS px) under which a touch is still a tap. */
const TAP_SLOP = 10;
/** Finger travel (CSS px) that makes one wheel notch. */
const PIXELS_PER_NOTCH = 50;
/** A second tap within this long (and TAP_SLOP * 3 of the first) is a double tap. */
export const DOUBLE_TAP_MS = 280;
/** A finger held this long without moving is a long press. */
export const LONG_PRESS_MS = 600;
/** Change of the distance between two fingers (CSS px) that makes their gesture a pinch, not a scroll. */
const PINCH_SLOP = 24;
/** Touchpad mode: frame pixels moved per CSS px of finger travel, at the current zoom (then 1:1 with the picture). */
const TOUCHPAD_SPEED = 1;

const LEFT = 1, RIGHT = 4;

/**
 * Touch on the canvas. Direct mode (the default): a tap is a left click at the finger, a
 * one-finger drag is a left-button drag, a long press is a right click. Two fingers: when their
 * distance changes by PINCH_SLOP before their centre moves TAP_SLOP, the gesture is a pinch that
 * zooms around the fingers (and pans with them); otherwise it scrolls the guest (the content
 * follows the fingers, as on a touchpad). A double tap toggles fit and zoomed in at the tap, so a
 * single tap's click waits DOUBLE_TAP_MS. While zoomed, a one-finger drag pans instead of dragging.
 *
 * Touchpad mode (for guests whose absolute pointer is missing or ignored): one finger moves the
 * pointer by how far it travels, a tap clicks where the pointer is, a two-finger tap is a right
 * click, a long press holds the left button until the finger lifts (a drag), two fingers scroll
 * or pinch as above. The page shows a cursor at the pointer (onMove).
 */
export default class Touch {
    constructor(canvas, queue, wheel, { viewport = null, onMove = () => {}, focus = null, surface = canvas } = {}) {
        this._canvas = canvas;
        this._queue = queue;
        this._wheel = wheel;
        this._viewport = viewport;
        this._onMove = onMove;
        this._focus = focus ?? (() => canvas.focus({ preventScroll: true }));
        this._mode = 'none'; // 'pending', 'drag', 'pan', 'move', 'held', 'two', 'scroll', 'pinch', 'done'
        this._start = null;
        this._last = null;
        this._two = null;
        this._longPress = 0;
        this._tap = null; // { x, y, at, timer } the last tap, while it may become a double tap
        this._touchpad = false;
        this._exact = null;
        this.enabled = true;
        this.counts = { taps: 0, doubleTaps: 0, longPresses: 0, pinches: 0, pans: 0, scrolls: 0 };
        // The surface (the screen around the canvas too: a touchpad, a pinch on the bars beside a
        // fitted frame); touches on anything else in it (an overlay's button) are left alone.
        const options = { passive: false };
        const mine = (e) => e.target === canvas || e.target === surface;
        surface.addEventListener('touchstart', (e) => mine(e) && this._onStart(e), options);
        surface.addEventListener('touchmove', (e) => mine(e) && this._onMoveEvent(e), options);
        surface.addEventListener('touchend', (e) => mine(e) && this._onEnd(e), options);
        surface.addEventListener('touchcancel', (e) => mine(e) && this._onEnd(e), options);
    }

    get touchpad() { return this._touchpad; }

    set touchpad(on) {
        this._touchpad = Boolean(on);
        this._cancelTap(true);
    }

    _onStart(e) {
        e.preventDefault(); // no emulated mouse events, no page zoom or scroll
        this._focus(); // the canvas, or the on-screen keyboard's field while it is open
        if (e.touches.length >= 2) {
            clearTimeout(this._longPress);
            if (this._mode === 'drag' || this._mode === 'held') {
                this._release();
            }
            if (this._mode !== 'scroll' && this._mode !== 'pinch') {
                const [a, b] = e.touches;
                this._mode = 'two';
                this._two = {
                    distance: distance(a, b), centre: centre(e.touches), scale: this._viewport?.scale ?? 0,
                    anchor: this._viewport?.framePoint(...xy(centre(e.touches))) ?? null, at: e.timeStamp,
                };
            }
            this._last = centre(e.touches);
            return;
        }
        if (this._mode === 'none') {
            const t = e.touches[0];
            this._mode = 'pending';
            this._start = { x: t.clientX, y: t.clientY, at: e.timeStamp };
            this._last = this._start;
            clearTimeout(this._longPress);
            this._longPress = setTimeout(() => this._onLongPress(), LONG_PRESS_MS);
        }
    }

    _onMoveEvent(e) {
        e.preventDefault();
        if (e.touches.length >= 2) {
            this._twoFingers(e.touches);
            return;
        }
        if (e.touches.length !== 1 || !['pending', 'drag', 'pan', 'move', 'held'].includes(this._mode)) {
            return;
        }
        const t = e.touches[0];
        const here = { x: t.clientX, y: t.clientY };
        if (this._mode === 'pending' && Math.hypot(here.x - this._start.x, here.y - this._start.y) >= TAP_SLOP) {
            clearTimeout(this._longPress);
            if (this._touchpad) {
                this._mode = 'move';
            } else if (this._viewport?.zoomed) {
                this._mode = 'pan';
                this.counts.pans++;
            } else if (!this._onPicture(this._start)) {
                this._mode = 'done'; // a drag from beside the picture drags nothing
            } else {
                this._mode = 'drag';
                if (this.enabled) {
                    this._pointerAt(this._start.x, this._start.y, 0);
                    this._pointerAt(this._start.x, this._start.y, LEFT);
                }
            }
        }
        if (this._mode === 'drag' && this.enabled) {
            this._pointerAt(here.x, here.y, LEFT);
        } else if (this._mode === 'pan') {
            this._viewport.panBy(here.x - this._last.x, here.y - this._last.y);
        } else if ((this._mode === 'move' || this._mode === 'held') && this.enabled) {
            this._relative(here.x - this._last.x, here.y - this._last.y, this._mode === 'held' ? LEFT : 0);
        }
        this._last = here;
    }

    _twoFingers(touches) {
        const [a, b] = touches;
        const c = centre(touches);
        const two = this._two;
        if (this._mode === 'two' && two) {
            if (this._viewport && Math.abs(distance(a, b) - two.distance) >= PINCH_SLOP) {
                this._mode = 'pinch';
                this.counts.pinches++;
            } else if (Math.hypot(c.x - two.centre.x, c.y - two.centre.y) >= TAP_SLOP) {
                this._mode = 'scroll';
                this.counts.scrolls++;
            }
        }
        if (this._mode === 'pinch') {
            this._viewport.zoomTo(two.scale * distance(a, b) / two.distance, c.x, c.y, two.anchor);
        } else if (this._mode === 'scroll' && this.enabled) {
            // Fingers moving up bring what is below into view: wheel down.
            this._wheel.add(-(c.x - this._last.x) * NOTCH / PIXELS_PER_NOTCH, -(c.y - this._last.y) * NOTCH / PIXELS_PER_NOTCH);
        }
        this._last = c;
    }

    _onEnd(e) {
        e.preventDefault();
        if (e.touches.length > 0) {
            if (this._mode === 'two' && e.changedTouches.length > 0 && this._touchpad && this.enabled) {
                this._click(RIGHT); // a two-finger tap (the first finger up ends it)
                this._mode = 'done';
            }
            return; // wait for the last finger
        }
        clearTimeout(this._longPress);
        if (this._mode === 'pending') {
            this._onTap(this._start, e.timeStamp);
        } else if (this._mode === 'two' && this._touchpad && this.enabled) {
            this._click(RIGHT);
        } else if (this._mode === 'drag' || this._mode === 'held') {
            this._release();
        }
        this._mode = 'none';
        this._two = null;
    }

    _onTap(at, timeStamp) {
        this.counts.taps++;
        if (this._touchpad) {
            if (this.enabled) {
                this._click(LEFT);
            }
            return;
        }
        const previous = this._tap;
        if (previous && timeStamp - previous.at <= DOUBLE_TAP_MS && Math.hypot(at.x - previous.x, at.y - previous.y) <= TAP_SLOP * 3) {
            this._cancelTap(false);
            this.counts.doubleTaps++;
            this._viewport?.toggleZoomAt(at.x, at.y);
            return;
        }
        this._cancelTap(true);
        if (!this._onPicture(at)) {
            return;
        }
        if (!this._viewport) {
            this._clickAt(at);
            return;
        }
        // Wait: a second tap would make this a double tap, which clicks nothing.
        this._tap = { x: at.x, y: at.y, at: timeStamp, timer: setTimeout(() => this._cancelTap(true), DOUBLE_TAP_MS) };
    }

    /** Ends a waiting tap: its click goes to the guest (send) or is dropped. */
    _cancelTap(send) {
        const tap = this._tap;
        if (!tap) {
            return;
        }
        this._tap = null;
        clearTimeout(tap.timer);
        if (send) {
            this._clickAt(tap);
        }
    }

    _onLongPress() {
        if (this._mode !== 'pending') {
            return;
        }
        this.counts.longPresses++;
        navigator.vibrate?.(15);
        if (!this.enabled) {
            this._mode = 'done';
            return;
        }
        if (this._touchpad) {
            this._mode = 'held';
            const { x, y } = this._queue.pointer;
            this._queue.pointerTo(x, y, LEFT);
            return;
        }
        this._mode = 'done';
        this._cancelTap(true);
        if (!this._onPicture(this._start)) {
            return;
        }
        const { x, y } = this._start;
        this._pointerAt(x, y, 0);
        this._pointerAt(x, y, RIGHT);
        this._pointerAt(x, y, 0);
    }

    /** Whether a client position is over the picture (a direct touch beside it points at nothing). */
    _onPicture(p) {
        return inside(this._canvas.getBoundingClientRect(), p);
    }

    _clickAt(at) {
        if (!this.enabled) {
            return;
        }
        this._pointerAt(at.x, at.y, 0);
        this._pointerAt(at.x, at.y, LEFT);
        this._pointerAt(at.x, at.y, 0);
    }

    /** A click where the pointer is now (touchpad mode). */
    _click(button) {
        const { x, y } = this._queue.pointer;
        this._queue.pointerTo(x, y, 0);
        this._queue.pointerTo(x, y, button);
        this._queue.pointerTo(x, y, 0);
    }

    _relative(dx, dy, buttons) {
        const scale = this._viewport?.scale || 1;
        const { x, y } = this._queue.pointer;
        // Slow travel moves less than a frame pixel per event: the fraction is kept, unless the pointer went elsewhere meanwhile.
        const from = this._exact && Math.round(this._exact.x) === x && Math.round(this._exact.y) === y ? this._exact : { x, y };
        this._exact = {
            x: clamp(from.x + dx * TOUCHPAD_SPEED / scale, this._canvas.width - 1),
            y: clamp(from.y + dy * TOUCHPAD_SPEED / scale, this._canvas.height - 1),
        };
        const fx = Math.round(this._exact.x), fy = Math.round(this._exact.y);
        this._onMove(fx, fy);
        this._queue.pointerTo(fx, fy, buttons);
        this._viewport?.reveal(fx, fy);
    }

    _release() {
        if (!this.enabled) {
            return;
        }
        if (this._mode === 'held' || this._touchpad) {
            const { x, y } = this._queue.pointer;
            this._queue.pointerTo(x, y, 0);
            return;
        }
        this._pointerAt(this._last.x, this._last.y, 0);
    }

    _pointerAt(clientX, clientY, buttons) {
        const at = frameCoordinates(this._canvas, clientX, clientY);
        if (at) {
            this._onMove(at.x, at.y);
            this._queue.pointerTo(at.x, at.y, buttons);
        }
    }
}

function inside(rect, p) {
    return p.x >= rect.left && p.x < rect.right && p.y >= rect.top && p.y < rect.bottom;
}

function clamp(value, max) {
    return Math.min(max, Math.max(0, value));
}

function xy(p) {
    return [p.x, p.y];
}

function distance(a, b) {
    return Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY);
}

function centre(touches) {
    let x = 0, y = 0;
    for (const t of touches) {
        x += t.clientX;
        y += t.clientY;
    }
    return { x: x / touches.length, y: y / touches.length };
}
