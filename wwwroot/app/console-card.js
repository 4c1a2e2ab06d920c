import { serverUrl } from '../core/paths.js';

/**
 * One console on the index page: a live thumbnail, its id, size, state (and why) and
 * viewer count, linking to /console/{id}. Kept across refreshes and updated in place, so
 * the list does not flicker; a new thumbnail replaces the old one only once loaded.
 */
export default class ConsoleCard {
    constructor(id) {
        this.id = id;
        this._born = performance.now();
        const href = serverUrl(`console/${encodeURIComponent(id)}`);
        this.element = document.createElement('li');
        this.element.className = 'card';
        this.element.dataset.id = id;
        this.element.innerHTML = `
            <a class="thumb"><img alt="" hidden><span class="nothumb">no picture yet</span></a>
            <div class="title"><a class="name"></a><span class="badge"></span></div>
            <div class="detail"></div>
            <div class="reason"></div>`;
        this._thumb = this.element.querySelector('.thumb');
        this._img = this.element.querySelector('img');
        this._noThumb = this.element.querySelector('.nothumb');
        this._name = this.element.querySelector('.name');
        this._badge = this.element.querySelector('.badge');
        this._detail = this.element.querySelector('.detail');
        this._reason = this.element.querySelector('.reason');
        this._thumb.href = href;
        this._name.href = href;
        this._name.textContent = id;
        this._img.alt = `${id} screen`;
        this._loading = false;
    }

    /** Came in the last 5 s, and still without a picture: worth looking at again soon. */
    get young() { return performance.now() - this._born < 5000 && this._img.hidden; }

    update(info) {
        this.element.dataset.state = info.state;
        this._badge.textContent = info.state;
        const viewers = `${info.viewers} viewer${info.viewers === 1 ? '' : 's'}`;
        const size = info.width && info.height ? `${info.width} × ${info.height}` : 'no size yet';
        this._detail.textContent = `${size} · ${info.source} · ${viewers}`;
        this._reason.textContent = info.reason ?? '';
        this._reason.hidden = !info.reason;
        if (info.width > 0 && info.height > 0) {
            this._refreshThumbnail(); // no size, no picture: spare the server a 404
        }
    }

    _refreshThumbnail() {
        if (this._loading) {
            return; // the previous one is still on its way
        }
        this._loading = true;
        const next = new Image();
        next.onload = () => {
            this._loading = false;
            this._img.src = next.src;
            this._img.hidden = false;
            this._noThumb.hidden = true;
        };
        next.onerror = () => {
            this._loading = false; // 404 until the console has a picture: keep the last one
            if (this._img.hidden) {
                this._noThumb.hidden = false;
            }
        };
        next.src = serverUrl(`api/consoles/${encodeURIComponent(this.id)}/thumbnail.png?t=${Date.now()}`);
    }
}
