import ConsoleCard from './console-card.js';
import ConsoleSetWatcher from './console-set-watcher.js';
import { serverUrl } from '../core/paths.js';

/**
 * The index page's list: keeps one ConsoleCard per console of /api/consoles, in the server's
 * order. Consoles that come and go are followed with the /api/consoles/changes long-poll (a card
 * appears or goes within a round trip); states, viewer counts and thumbnails are refreshed every
 * intervalMs besides. A failed request keeps the cards and says so in the status element.
 */
export default class ConsoleList {
    constructor(list, { empty, status, summary, intervalMs = 3000 }) {
        this._list = list;
        this._empty = empty;
        this._status = status;
        this._summary = summary;
        this._intervalMs = intervalMs;
        this._cards = new Map();
        this._refreshing = null;
        this._again = false;
        this._denied = false;
        this._timer = 0;
        this._watcher = new ConsoleSetWatcher({
            onChange: () => this.refresh(),
            onDenied: () => this._deny(),
            onError: (error) => this._setStatus(`cannot reach the server (${error.message})`, 'bad'),
        });
    }

    /** The set's version the list last followed (null before the first answer). */
    get version() { return this._watcher.version; }

    start() {
        this._watcher.start(); // its first answer comes at once and brings the first list
        const tick = async () => {
            if (this._denied) {
                return;
            }
            await this.refresh();
            this._timer = setTimeout(tick, this._intervalMs);
        };
        this._timer = setTimeout(tick, this._intervalMs);
    }

    /** Lists the consoles again; calls while one is under way fold into one more after it. */
    refresh() {
        if (this._refreshing) {
            this._again = true;
            return this._refreshing;
        }
        this._refreshing = (async () => {
            do {
                this._again = false;
                await this._refreshOnce();
            } while (this._again);
        })().finally(() => { this._refreshing = null; });
        return this._refreshing;
    }

    _deny() {
        // Access control is on (Security:ApiKeys): consoles open through tickets from a dashboard.
        this._denied = true;
        clearTimeout(this._timer);
        this._watcher.stop();
        this._setStatus('the console list needs an API key: open a console through your dashboard (docs/security.md)', 'bad');
    }

    async _refreshOnce() {
        let consoles;
        try {
            const response = await fetch(serverUrl('api/consoles'), { cache: 'no-store' });
            if (response.status === 401 || response.status === 403) {
                this._deny();
                return;
            }
            if (!response.ok) {
                throw new Error(`HTTP ${response.status}`);
            }
            consoles = await response.json();
        } catch (error) {
            this._setStatus(`cannot reach the server (${error.message})`, 'bad');
            return;
        }
        this._render(consoles);
        this._setStatus(`updated ${new Date().toLocaleTimeString()}`, 'ok');
        // A console just created may not have been read yet (no size, so no thumbnail): look again soon.
        if (consoles.some((c) => !(c.width > 0) && this._cards.get(c.id)?.young)) {
            setTimeout(() => this.refresh(), 500);
        }
    }

    _render(consoles) {
        const seen = new Set();
        let index = 0;
        for (const info of consoles) {
            seen.add(info.id);
            let card = this._cards.get(info.id);
            if (!card) {
                card = new ConsoleCard(info.id);
                this._cards.set(info.id, card);
            }
            card.update(info);
            // Keep the server's order, moving nothing that is already in place (focus stays).
            const at = this._list.children[index++];
            if (at !== card.element) {
                this._list.insertBefore(card.element, at ?? null);
            }
        }
        for (const [id, card] of this._cards) {
            if (!seen.has(id)) {
                card.element.remove();
                this._cards.delete(id);
            }
        }
        this._empty.hidden = consoles.length > 0;
        const ready = consoles.filter((c) => c.state === 'ready').length;
        this._summary.textContent = `${consoles.length} console${consoles.length === 1 ? '' : 's'}, ${ready} ready`;
    }

    _setStatus(text, tone) {
        this._status.textContent = text;
        this._status.dataset.tone = tone;
    }
}
