/**
 * Places the canvas in its container with CSS only; the backing store keeps the frame size.
 *
 * "fit": as large as the container allows, keeping the aspect ratio; nearest-neighbour
 * (pixelated) when that enlarges the frame, smooth when it shrinks it.
 * "off": one frame pixel per device pixel (crisp on HiDPI screens: CSS size is
 * frame size / devicePixelRatio); the container scrolls when the frame is larger.
 *
 * The canvas is positioned on whole device pixels, so a 1:1 picture is never resampled.
 */
export default class Viewport {
    constructor(container, canvas, mode = 'fit') {
        this._container = container;
        this._canvas = canvas;
        this._mode = mode === 'off' ? 'off' : 'fit';
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
            const scale = Math.min(availWidth / width, availHeight / height);
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
