/** Input kinds on the wire (the hub's InputMessage.t), equal to the region's input event types. */
export const InputType = Object.freeze({ key: 1, pointer: 2, wheel: 3 });

/** The hub refuses calls with more events than this. */
const MAX_PER_CALL = 256;

/**
 * Orders and batches input for the hub. Keys, button edges and wheel steps go out in the order
 * they happened (in one call per task); pointer motion without a button change is coalesced to
 * at most one position per animation frame, and a pending position is always sent before the
 * next event, so a click lands where the pointer was.
 */
export default class InputQueue {
    /** send(events): delivers an array of { t, code, value, x, y }. */
    constructor(send) {
        this._send = send;
        this._events = [];
        this._move = null;
        this._buttons = 0;
        this._x = 0;
        this._y = 0;
        this._flushQueued = false;
        this._frameQueued = false;
        this.enabled = true;
        this.sent = 0;
    }

    /** The last pointer position and buttons given, in frame pixels. */
    get pointer() { return { x: this._x, y: this._y, buttons: this._buttons }; }

    key(code, down) {
        this._push({ t: InputType.key, code, value: down ? 1 : 0, x: 0, y: 0 });
    }

    pointerTo(x, y, buttons = this._buttons) {
        if (!this.enabled) {
            return;
        }
        const changed = buttons !== this._buttons;
        this._x = x;
        this._y = y;
        this._buttons = buttons;
        const event = { t: InputType.pointer, code: 0, value: buttons, x, y };
        if (changed) {
            this._move = null;
            this._push(event);
        } else {
            this._move = event;
            this._queueFrame();
        }
    }

    wheel(dx, dy) {
        if (dx !== 0 || dy !== 0) {
            this._push({ t: InputType.wheel, code: 0, value: 0, x: dx, y: dy });
        }
    }

    /** Sends whatever is queued now. */
    flush() {
        this._flushMove();
        const events = this._events;
        this._events = [];
        for (let i = 0; i < events.length; i += MAX_PER_CALL) {
            const batch = events.slice(i, i + MAX_PER_CALL);
            this.sent += batch.length;
            this._send(batch);
        }
    }

    _push(event) {
        if (!this.enabled) {
            return;
        }
        this._flushMove();
        this._events.push(event);
        if (!this._flushQueued) {
            this._flushQueued = true;
            queueMicrotask(() => {
                this._flushQueued = false;
                this.flush();
            });
        }
    }

    _flushMove() {
        if (this._move) {
            this._events.push(this._move);
            this._move = null;
        }
    }

    _queueFrame() {
        if (this._frameQueued) {
            return;
        }
        this._frameQueued = true;
        const run = () => {
            this._frameQueued = false;
            this.flush();
        };
        // Hidden pages get no animation frames; a timer keeps motion from waiting there.
        if (document.visibilityState === 'visible') {
            requestAnimationFrame(run);
        } else {
            setTimeout(run, 16);
        }
    }
}
