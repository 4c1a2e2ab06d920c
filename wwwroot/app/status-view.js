/**
 * The small status element of the console page: the connection first ("connecting",
 * "reconnecting in 2 s", "console removed", "unknown console 'vm1'"), then the source ("waiting
 * for producer", "invalid region: ..."), else "connected". Its data-tone attribute ("ok", "busy",
 * "bad", "gone") colours it.
 */
export default class StatusView {
    constructor(element) {
        this._element = element;
        this._connection = 'connecting';
        this._retryAt = 0;
        this._error = null;
        this._source = null;
        this._reason = null;
        this._timer = 0;
        this._render();
    }

    /** What the status reads now. */
    get text() { return this._element.textContent; }

    setConnection(state, retryAt = 0, error = null) {
        this._connection = state;
        this._retryAt = retryAt;
        this._error = error;
        this._render();
    }

    setSource(state, reason) {
        this._source = state;
        this._reason = reason ?? null;
        this._render();
    }

    _render() {
        clearTimeout(this._timer);
        let text, tone;
        if (this._connection === 'reconnecting') {
            const seconds = Math.max(0, Math.ceil((this._retryAt - Date.now()) / 1000));
            text = seconds > 0 ? `reconnecting in ${seconds} s` : 'reconnecting';
            tone = 'bad';
            // Count down: render again when the shown number of seconds changes.
            const next = (this._retryAt - Date.now()) % 1000 || 1000;
            if (seconds > 0) {
                this._timer = setTimeout(() => this._render(), next + 5);
            }
        } else if (this._connection === 'denied') {
            text = this._error?.message ?? 'access denied';
            tone = 'bad';
        } else if (this._connection === 'removed' || this._connection === 'unknown') {
            text = this._error?.message ?? (this._connection === 'removed' ? 'console removed' : 'unknown console');
            tone = 'gone';
        } else if (this._connection !== 'connected') {
            text = this._connection === 'stopped' ? 'disconnected' : 'connecting';
            tone = 'busy';
        } else if (this._source === 'removed') {
            text = this._reason ?? 'console removed'; // the connection ends next
            tone = 'gone';
        } else if (this._source === 'waiting') {
            text = this._reason ?? 'waiting for producer';
            tone = 'busy';
        } else if (this._source === 'invalid') {
            text = this._reason ?? 'invalid region';
            tone = 'bad';
        } else if (this._source === 'idle') {
            text = this._reason ?? 'idle';
            tone = 'busy';
        } else {
            text = 'connected';
            tone = 'ok';
        }
        this._element.textContent = text;
        this._element.dataset.tone = tone;
        this._element.title = this._error ? String(this._error.message ?? this._error) : '';
    }
}
