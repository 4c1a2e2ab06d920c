import { frameCoordinates } from './coordinates.js';

/** MouseEvent.buttons bits (left 1, right 2, middle 4, back 8, forward 16) to the region's mask (left 1, middle 2, right 4, back 8, forward 16). */
export function buttonMask(domButtons) {
    return (domButtons & 1) | ((domButtons & 4) >> 1) | ((domButtons & 2) << 1) | (domButtons & 0x18);
}

/**
 * Mouse and pen on the canvas as absolute pointer events in frame pixels (see InputQueue for
 * ordering and coalescing). The pointer is captured while a button is down, so a drag that leaves
 * the canvas still ends in the guest; the browser's context menu is suppressed. Touch is left to
 * Touch. onMove(x, y) runs for every local motion (the cursor overlay follows it at once).
 */
export default class Pointer {
    constructor(canvas, queue, { onMove = () => {}, onLeave = () => {} } = {}) {
        this._canvas = canvas;
        this._queue = queue;
        this._onMove = onMove;
        this.enabled = true;
        const handle = (e) => this._handle(e);
        canvas.addEventListener('pointerdown', (e) => {
            if (e.pointerType !== 'touch') {
                canvas.focus({ preventScroll: true });
                canvas.setPointerCapture?.(e.pointerId);
            }
            handle(e);
        });
        canvas.addEventListener('pointerup', handle);
        canvas.addEventListener('pointermove', handle);
        canvas.addEventListener('pointerleave', (e) => {
            if (e.pointerType !== 'touch') {
                onLeave();
            }
        });
        canvas.addEventListener('contextmenu', (e) => e.preventDefault());
    }

    _handle(e) {
        if (e.pointerType === 'touch') {
            return;
        }
        const at = frameCoordinates(this._canvas, e.clientX, e.clientY);
        if (!at) {
            return;
        }
        this._onMove(at.x, at.y);
        if (!this.enabled) {
            return;
        }
        if (e.type !== 'pointermove') {
            e.preventDefault();
        }
        this._queue.pointerTo(at.x, at.y, buttonMask(e.buttons));
    }
}
