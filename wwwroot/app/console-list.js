import ConsoleCard from './console-card.js';

/**
 * The index page's list: polls /api/consoles and keeps one ConsoleCard per console, in
 * the server's order. A failed poll keeps the cards and says so in the status element.
 */
export default class ConsoleList {
    constructor(list, { empty, status, summary, intervalMs = 2000 }) {
        this._list = list;
        this._empty = empty;
        this._status = status;
        this._summary = summary;
        this._intervalMs = intervalMs;
        this._cards = new Map();
    }

    start() {
        const tick = async () => {
            await this.refresh();
            setTimeout(tick, this._intervalMs);
        };
        tick();
    }

    async refresh() {
        let consoles;
        try {
            const response = await fetch('/api/consoles', { cache: 'no-store' });
            if (response.status === 401 || response.status === 403) {
                // Access control is on (Security:ApiKeys): consoles open through tickets from a dashboard.
                this._setStatus('the console list needs an API key: open a console through your dashboard (docs/security.md)', 'bad');
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
