/**
 * The statistics overlay: frames presented per second, the round trip to the server (a Ping
 * timed once a second while the overlay shows), kbit/s of picture data received (and of it, the
 * lossless refresh), the JPEG quality the server chose last, and how much of the picture still
 * shows JPEG pixels waiting for that refresh.
 */
export default class Stats {
    constructor(element, { framesPresented, ping, quality = () => 0, lossyShare = () => 0 }) {
        this._element = element;
        this._framesPresented = framesPresented;
        this._ping = ping;
        this._quality = quality;
        this._lossyShare = lossyShare;
        this._refreshBytes = 0;
        this._lastRefreshBytes = 0;
        this.refreshKbps = 0;
        this._bytes = 0;
        this._lastBytes = 0;
        this._lastFrames = framesPresented();
        this._lastAt = performance.now();
        this.fps = 0;
        this.kbps = 0;
        this.rttMs = null;
        this._timer = setInterval(() => this._tick(), 1000);
    }

    get visible() { return !this._element.hidden; }

    set visible(value) {
        this._element.hidden = !value;
        this._render();
    }

    /** Counts an update's encoded bytes. */
    received(update) {
        let bytes = 0;
        for (const rect of update.rects) {
            bytes += rect.data?.length ?? 0;
        }
        this._bytes += bytes;
        if (update.refresh) {
            this._refreshBytes += bytes;
        }
    }

    /** Bytes of lossless refresh received so far. */
    get refreshBytes() { return this._refreshBytes; }

    /** The JPEG quality last chosen by the server (0: none yet). */
    get quality() { return this._quality(); }

    /** Share of the picture waiting for a lossless refresh, 0 to 1. */
    get lossyShare() { return this._lossyShare(); }

    async _tick() {
        const now = performance.now(), seconds = (now - this._lastAt) / 1000;
        const frames = this._framesPresented();
        this.fps = (frames - this._lastFrames) / seconds;
        this.kbps = (this._bytes - this._lastBytes) * 8 / 1000 / seconds;
        this.refreshKbps = (this._refreshBytes - this._lastRefreshBytes) * 8 / 1000 / seconds;
        this._lastFrames = frames;
        this._lastBytes = this._bytes;
        this._lastRefreshBytes = this._refreshBytes;
        this._lastAt = now;
        if (this.visible) {
            try {
                this.rttMs = await this._ping();
            } catch {
                this.rttMs = null;
            }
        }
        this._render();
    }

    _render() {
        if (!this.visible) {
            return;
        }
        const rtt = this.rttMs === null ? '–' : `${this.rttMs.toFixed(1)} ms`;
        const quality = this.quality > 0 ? `q${this.quality}` : 'q –';
        const refresh = this.refreshKbps >= 1 ? ` (refresh ${Math.round(this.refreshKbps)})` : '';
        this._element.textContent = `${this.fps.toFixed(1)} fps · rtt ${rtt} · ${Math.round(this.kbps)} kbit/s${refresh} · ` +
            `${quality} · ${Math.round(this.lossyShare * 100)} % to refresh`;
    }
}
