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
        this._fallback = false;
        this._drawnArrow = false;
    }

    /**
     * Whether an arrow of the page's own is shown at the pointer while the guest sends no cursor
     * (the touchpad mode: a finger does not show where the pointer is).
     */
    get fallback() { return this._fallback; }

    set fallback(on) {
        this._fallback = Boolean(on);
        this._inside = this._inside || this._fallback;
        this.layout();
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
        const canvas = this._canvas, overlay = this._overlay;
        let s = this._state;
        if (s === null && this._fallback) {
            s = this._arrow();
        } else if (s !== null && this._drawnArrow) {
            this._drawnArrow = false; // the guest's image replaces it at its next message
        }
        canvas.style.cursor = s === null ? 'default' : 'none';
        const cssWidth = parseFloat(canvas.style.width) || 0;
        const show = s !== null && s.visible && this._inside && overlay.width > 0 && canvas.width > 0 && cssWidth > 0;
        overlay.hidden = !show;
        if (!show) {
            return;
        }
        // The page's arrow keeps its size on screen; the guest's image scales with the picture.
        const scale = cssWidth / canvas.width, imageScale = this._drawnArrow ? 1 : scale;
        const left = (parseFloat(canvas.style.left) || 0) + this._x * scale - s.hotX * imageScale;
        const top = (parseFloat(canvas.style.top) || 0) + this._y * scale - s.hotY * imageScale;
        overlay.style.left = `${left}px`;
        overlay.style.top = `${top}px`;
        overlay.style.width = `${overlay.width * imageScale}px`;
        overlay.style.height = `${overlay.height * imageScale}px`;
        overlay.style.imageRendering = imageScale >= 1 ? 'pixelated' : 'auto';
    }

    /** The page's own arrow (white, black outline, hotspot at its tip), drawn into the overlay once. */
    _arrow() {
        if (!this._drawnArrow) {
            const overlay = this._overlay;
            overlay.width = 14;
            overlay.height = 20;
            const ctx = overlay.getContext('2d');
            ctx.clearRect(0, 0, 14, 20);
            ctx.beginPath();
            ctx.moveTo(1, 1);
            ctx.lineTo(1, 17);
            ctx.lineTo(5, 13);
            ctx.lineTo(8, 19);
            ctx.lineTo(10, 18);
            ctx.lineTo(7, 12);
            ctx.lineTo(12, 12);
            ctx.closePath();
            ctx.fillStyle = '#fff';
            ctx.fill();
            ctx.strokeStyle = '#000';
            ctx.lineWidth = 1;
            ctx.stroke();
            this._drawnArrow = true;
        }
        return { visible: true, hotX: 1, hotY: 1 };
    }
}
