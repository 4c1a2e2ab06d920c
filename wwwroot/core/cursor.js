/** After local motion, cursor positions from the guest are echoes of it for this long. */
const ECHO_MS = 300;

/**
 * The guest's cursor plane, drawn on the page: a small canvas over the console canvas that
 * follows the local pointer with no round trip, placed so the image's hotspot sits under the
 * pointer, scaled like the picture. The console canvas shows no cursor of its own while the
 * guest has one ("none"); hidden when the guest hides it; a new image arrives when its serial
 * changes. When the guest moves the cursor itself (a position the local pointer did not cause),
 * the overlay goes there.
 *
 * Sources without a cursor plane never send one: the canvas keeps the default cursor.
 */
export default class CursorView {
    constructor(container, canvas) {
        this._container = container;
        this._canvas = canvas;
        this._overlay = document.createElement('canvas');
        this._overlay.className = 'cursor';
        this._overlay.setAttribute('aria-hidden', 'true');
        this._overlay.hidden = true;
        container.appendChild(this._overlay);
        this._state = null; // last CursorMessage without its png
        this._x = 0;
        this._y = 0;
        this._inside = false;
        this._localAt = -Infinity;
        this._generation = 0;
    }

    /** For tests and diagnostics. */
    get info() {
        const s = this._state;
        return {
            known: s !== null,
            visible: s?.visible ?? false,
            serial: s?.serial ?? 0,
            hotX: s?.hotX ?? 0,
            hotY: s?.hotY ?? 0,
            width: this._overlay.width,
            height: this._overlay.height,
            x: this._x,
            y: this._y,
            shown: !this._overlay.hidden,
            left: parseFloat(this._overlay.style.left) || 0,
            top: parseFloat(this._overlay.style.top) || 0,
            cssWidth: parseFloat(this._overlay.style.width) || 0,
            canvasCursor: this._canvas.style.cursor,
        };
    }

    /** The overlay canvas (its pixels are the cursor image). */
    get element() { return this._overlay; }

    /** A Cursor message from the server. */
    async set(message) {
        const previous = this._state;
        this._state = { ...message, png: undefined };
        const generation = ++this._generation;
        if (message.png && message.png.length > 0) {
            try {
                const bitmap = await createImageBitmap(new Blob([message.png], { type: 'image/png' }));
                if (generation !== this._generation && this._state.serial !== message.serial) {
                    bitmap.close();
                    return;
                }
                this._overlay.width = bitmap.width;
                this._overlay.height = bitmap.height;
                const ctx = this._overlay.getContext('2d');
                ctx.clearRect(0, 0, bitmap.width, bitmap.height);
                ctx.drawImage(bitmap, 0, 0);
                bitmap.close();
            } catch (error) {
                console.warn(`cursor ${message.serial}: ${error}`);
            }
        } else if (message.width === 0 || message.height === 0) {
            this._overlay.width = 0;
            this._overlay.height = 0;
        }
        const moved = !previous || previous.x !== message.x || previous.y !== message.y;
        if (moved && performance.now() - this._localAt > ECHO_MS && (message.x !== this._x || message.y !== this._y)) {
            // The guest moved it (or this is the first we hear): show it where the guest says.
            this._x = message.x;
            this._y = message.y;
            this._inside = true;
        }
        this.layout();
    }

    /** The local pointer is over frame pixel (x, y). */
    localMove(x, y) {
        this._x = x;
        this._y = y;
        this._inside = true;
        this._localAt = performance.now();
        this.layout();
    }

    localLeave() {
        this._inside = false;
        this.layout();
    }

    /** The guest is gone (disconnected): the page's own cursor again. */
    clear() {
        this._state = null;
        this._generation++;
        this.layout();
    }

    /** Places the overlay again; call after the viewport changed. */
    layout() {
        const s = this._state, canvas = this._canvas, overlay = this._overlay;
        canvas.style.cursor = s === null ? 'default' : 'none';
        const cssWidth = parseFloat(canvas.style.width) || 0;
        const show = s !== null && s.visible && this._inside && overlay.width > 0 && canvas.width > 0 && cssWidth > 0;
        overlay.hidden = !show;
        if (!show) {
            return;
        }
        const scale = cssWidth / canvas.width;
        const left = (parseFloat(canvas.style.left) || 0) + (this._x - s.hotX) * scale;
        const top = (parseFloat(canvas.style.top) || 0) + (this._y - s.hotY) * scale;
        overlay.style.left = `${left}px`;
        overlay.style.top = `${top}px`;
        overlay.style.width = `${overlay.width * scale}px`;
        overlay.style.height = `${overlay.height * scale}px`;
        overlay.style.imageRendering = scale >= 1 ? 'pixelated' : 'auto';
    }
}
