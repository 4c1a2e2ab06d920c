import { serverUrl } from '../core/paths.js';

/**
 * Follows the server's console set with the long-poll of GET /api/consoles/changes?after=<version>:
 * the server answers at once when the set's version differs from ours, else after 25 s with the
 * same version, so a console that comes or goes is seen within a round trip, and a set that does
 * not change costs one request per 25 s. onChange(version) runs for the first answer and for each
 * new version after; a failed request is retried with a growing wait (up to 15 s).
 *
 * onDenied(status) runs instead, and the watch ends, when the server wants an API key (401/403).
 */
export default class ConsoleSetWatcher {
    constructor({ onChange, onDenied = () => {}, onError = () => {}, url = serverUrl('api/consoles/changes') }) {
        this._onChange = onChange;
        this._onDenied = onDenied;
        this._onError = onError;
        this._url = url;
        this._running = false;
        this._abort = null;
        this.version = null;
        /** Answers received so far (each a change or a 25 s "nothing new"). */
        this.answers = 0;
    }

    start() {
        if (!this._running) {
            this._running = true;
            this._run();
        }
    }

    stop() {
        this._running = false;
        this._abort?.abort();
    }

    async _run() {
        let failures = 0;
        while (this._running) {
            this._abort = new AbortController();
            try {
                const after = this.version ?? -1;
                const response = await fetch(`${this._url}?after=${after}`, { cache: 'no-store', signal: this._abort.signal });
                if (response.status === 401 || response.status === 403) {
                    this._running = false;
                    this._onDenied(response.status);
                    return;
                }
                if (!response.ok) {
                    throw new Error(`HTTP ${response.status}`);
                }
                const { version } = await response.json();
                this.answers++;
                failures = 0;
                if (version !== this.version) {
                    this.version = version;
                    await this._onChange(version);
                }
            } catch (error) {
                if (!this._running) {
                    return;
                }
                this._onError(error);
                const wait = Math.min(15000, 500 * 2 ** Math.min(failures++, 5));
                await new Promise((resolve) => setTimeout(resolve, wait / 2 + Math.random() * wait / 2));
            }
        }
    }
}
