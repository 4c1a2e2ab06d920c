/**
 * The statistics overlay: frames presented per second, the round trip to the server (a Ping
 * timed once a second while the overlay shows) and kbit/s of picture data received.
 */
export default class Stats {
    constructor(element, { framesPresented, ping }) {
        this._element = element;
        this._framesPresented = framesPresented;
        this._ping = ping;
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
        for (const rect of update.rects) {
            this._bytes += rect.data?.length ?? 0;
        }
    }

    async _tick() {
        const now = performance.now(), seconds = (now - this._lastAt) / 1000;
        const frames = this._framesPresented();
        this.fps = (frames - this._lastFrames) / seconds;
        this.kbps = (this._bytes - this._lastBytes) * 8 / 1000 / seconds;
        this._lastFrames = frames;
        this._lastBytes = this._bytes;
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
        this._element.textContent = `${this.fps.toFixed(1)} fps · rtt ${rtt} · ${Math.round(this.kbps)} kbit/s`;
    }
}
