/** The largest zoom: frame pixels this many CSS px wide (past 1:1 device pixels on any screen). */
export const MAX_ZOOM = 8;

/**
 * Places the canvas in its container with CSS only; the backing store keeps the frame size.
 *
 * "fit": as large as the container allows, keeping the aspect ratio; nearest-neighbour
 * (pixelated) when that enlarges the frame, smooth when it shrinks it.
 * "off": one frame pixel per device pixel (crisp on HiDPI screens: CSS size is
 * frame size / devicePixelRatio); the container scrolls when the frame is larger.
 * "zoom": any scale from fit to MAX_ZOOM CSS px per frame pixel (pinch, double tap, the embedding
 * API), the container scrolled to show the part zoomed into; zooming out to fit or below is "fit".
 *
 * The canvas is positioned on whole device pixels, so a 1:1 picture is never resampled.
 */
export default class Viewport {
    constructor(container, canvas, mode = 'fit') {
        this._container = container;
        this._canvas = canvas;
        this._mode = mode === 'off' ? 'off' : 'fit';
        this._zoom = 1;
        this._dprQuery = null;
        this._onDprChange = () => this._watchDpr();
        container.dataset.scale = this._mode;
        new ResizeObserver(() => this.update()).observe(container);
        this._watchDpr();
    }

    get mode() { return this._mode; }

    /** Switches between "fit" and "off" (1:1). */
    set mode(mode) {
        this._mode = mode === 'off' ? 'off' : 'fit';
        this._container.dataset.scale = this._mode;
        this._container.scrollTo?.(0, 0);
        this.update();
        this._container.dispatchEvent(new CustomEvent('layout'));
    }

    /** CSS px per frame pixel the fit mode would show (0 before the first frame). */
    get fitScale() {
        const width = this._canvas.width, height = this._canvas.height;
        if (width === 0 || height === 0) {
            return 0;
        }
        return Math.min(this._container.clientWidth / width, this._container.clientHeight / height);
    }

    /** CSS px per frame pixel shown now. */
    get scale() {
        const width = this._canvas.width;
        return width === 0 ? 0 : (parseFloat(this._canvas.style.width) || 0) / width;
    }

    /** Whether the frame is shown larger than fit (a one-finger drag then pans it). */
    get zoomed() { return this._mode !== 'fit' && this.scale > this.fitScale * 1.01; }

    /**
     * Zooms to <paramref name="scale"/> CSS px per frame pixel, keeping the frame point under
     * client position (clientX, clientY) where it is; or, with anchor, putting frame pixel
     * anchor {x, y} there. At or below fit this is fit.
     */
    zoomTo(scale, clientX, clientY, anchor = null) {
        const fit = this.fitScale;
        if (fit === 0 || !Number.isFinite(scale)) {
            return;
        }
        const box = this._container.getBoundingClientRect();
        const at = anchor ?? this.framePoint(clientX, clientY);
        if (scale <= fit * 1.01) {
            if (this._mode !== 'fit') {
                this.mode = 'fit';
            }
            return;
        }
        this._zoom = Math.min(MAX_ZOOM, scale);
        this._mode = 'zoom';
        this._container.dataset.scale = 'zoom';
        this.update();
        const s = this.scale;
        const left = parseFloat(this._canvas.style.left) || 0, top = parseFloat(this._canvas.style.top) || 0;
        this._container.scrollLeft = left + at.x * s - (clientX - box.left);
        this._container.scrollTop = top + at.y * s - (clientY - box.top);
        this._container.dispatchEvent(new CustomEvent('layout'));
    }

    /** Moves a zoomed frame with the fingers (the container scrolls the other way). */
    panBy(dx, dy) {
        this._container.scrollLeft -= dx;
        this._container.scrollTop -= dy;
        this._container.dispatchEvent(new CustomEvent('layout'));
    }

    /**
     * A double tap: zoomed in at the tap from fit (to one frame pixel per CSS pixel, or twice fit
     * when that is not at least a quarter larger), else back to fit.
     */
    toggleZoomAt(clientX, clientY) {
        if (this.zoomed) {
            this.mode = 'fit';
            return;
        }
        const fit = this.fitScale;
        this.zoomTo(fit * 1.25 <= 1 ? 1 : fit * 2, clientX, clientY);
    }

    /** Scrolls a zoomed frame so frame pixel (x, y) is in view (the touchpad's pointer), with a margin. */
    reveal(x, y) {
        if (!this.zoomed) {
            return;
        }
        const s = this.scale, c = this._container, margin = Math.min(40, c.clientWidth / 4, c.clientHeight / 4);
        const px = (parseFloat(this._canvas.style.left) || 0) + x * s, py = (parseFloat(this._canvas.style.top) || 0) + y * s;
        if (px - c.scrollLeft < margin) {
            c.scrollLeft = px - margin;
        } else if (px - c.scrollLeft > c.clientWidth - margin) {
            c.scrollLeft = px - c.clientWidth + margin;
        }
        if (py - c.scrollTop < margin) {
            c.scrollTop = py - margin;
        } else if (py - c.scrollTop > c.clientHeight - margin) {
            c.scrollTop = py - c.clientHeight + margin;
        }
        c.dispatchEvent(new CustomEvent('layout'));
    }

    /** The (unclamped, fractional) frame point under a client position. */
    framePoint(clientX, clientY) {
        const rect = this._canvas.getBoundingClientRect(), s = this.scale || 1;
        return { x: (clientX - rect.left) / s, y: (clientY - rect.top) / s };
    }

    /** Lays the canvas out again; call after the canvas changed size. */
    update() {
        const canvas = this._canvas, dpr = window.devicePixelRatio || 1;
        const width = canvas.width, height = canvas.height;
        const availWidth = this._container.clientWidth, availHeight = this._container.clientHeight;
        if (width === 0 || height === 0) {
            return;
        }
        let cssWidth, cssHeight;
        if (this._mode === 'off') {
            cssWidth = width / dpr;
            cssHeight = height / dpr;
        } else {
            const scale = this._mode === 'zoom' ? Math.max(this._zoom, this.fitScale) : this.fitScale;
            cssWidth = Math.max(1, Math.floor(width * scale * dpr)) / dpr;
            cssHeight = Math.max(1, Math.floor(height * scale * dpr)) / dpr;
        }
        const snap = (value) => Math.max(0, Math.floor(value * dpr)) / dpr;
        canvas.style.width = `${cssWidth}px`;
        canvas.style.height = `${cssHeight}px`;
        canvas.style.left = `${snap((availWidth - cssWidth) / 2)}px`;
        canvas.style.top = `${snap((availHeight - cssHeight) / 2)}px`;
        // Enlarging blurs unless pixelated; 1:1 is pixelated too, so any stray resampling stays crisp.
        const enlarged = cssWidth * dpr >= width;
        canvas.style.imageRendering = enlarged ? 'pixelated' : 'auto';
        this._container.dispatchEvent(new CustomEvent('layout'));
    }

    /** devicePixelRatio changes with browser zoom and when the window moves to another screen. */
    _watchDpr() {
        this._dprQuery?.removeEventListener('change', this._onDprChange);
        this._dprQuery = window.matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
        this._dprQuery.addEventListener('change', this._onDprChange);
        this.update();
    }
}
