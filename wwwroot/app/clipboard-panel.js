/**
 * The toolbar's Clipboard panel (noVNC style): it always shows what the guest copied last, lets
 * the user edit it and send it to the guest's clipboard, and copy it to the browser's clipboard by
 * hand, which is the way out when the browser refuses the page clipboard-write. It says what this
 * console's clipboard can do: both ways, one way, or nothing (no guest clipboard: use Type text).
 */
export default class ClipboardPanel {
    /** actions: { send: async (text) => void (rejects with the server's reason) }. */
    constructor({ send }) {
        const $ = (id) => document.getElementById(id);
        this._form = $('clip-panel');
        this._text = $('clip-text');
        this._status = $('clip-status');
        this._error = $('clip-error');
        this._sendButton = $('clip-send');
        this._send = send;
        this._state = { toGuest: false, fromGuest: false, reason: 'connecting', maxBytes: 0 };
        this._note = '';
        /** The guest's last text as the server sent it (null: none yet). */
        this.guestText = null;

        this._form.addEventListener('submit', async (e) => {
            e.preventDefault();
            await this.sendText(this._text.value);
        });
        this._form.addEventListener('keydown', (e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                this._form.requestSubmit();
            }
        });
        $('clip-copy').addEventListener('click', async () => {
            try {
                await navigator.clipboard.writeText(this._text.value);
                this._setNote('copied to your clipboard');
            } catch (error) {
                this._setNote(`the browser refused: ${error?.message ?? error}; select the text and copy it`);
                this._text.select();
            }
        });
        this._render();
    }

    /** What the server says this viewer's clipboard can do ({ toGuest, fromGuest, reason, maxBytes }). */
    get state() { return { ...this._state }; }

    /** The note shown under the state (the last copy to the browser, a refusal). */
    get note() { return this._note; }

    get toGuest() { return this._state.toGuest; }

    setState(state) {
        this._state = { toGuest: Boolean(state.toGuest), fromGuest: Boolean(state.fromGuest), reason: state.reason ?? null, maxBytes: state.maxBytes ?? 0 };
        this._render();
    }

    /**
     * The guest copied text: always shown here; written to the browser's clipboard when it is not
     * the text the guest held at join, the page has focus and the browser allows it. Resolves true
     * when the browser's clipboard has it.
     */
    async guestCopied(text, initial) {
        this.guestText = text;
        if (document.activeElement !== this._text) {
            this._text.value = text;
        }
        if (initial) {
            this._setNote('the guest\'s clipboard when you joined');
            return false;
        }
        if (!document.hasFocus() || !navigator.clipboard?.writeText) {
            this._setNote('the guest copied this; the page has no focus, so it is only here');
            return false;
        }
        try {
            await navigator.clipboard.writeText(text);
            this._setNote('the guest copied this; it is on your clipboard');
            return true;
        } catch (error) {
            this._setNote(`the guest copied this; the browser did not let the page put it on your clipboard (${error?.name ?? error}): use Copy`);
            return false;
        }
    }

    /** Sends text to the guest's clipboard; the error (if any) is shown and thrown. */
    async sendText(text) {
        this._error.textContent = '';
        try {
            await this._send(text);
            this._setNote(`sent to the guest's clipboard (${new TextEncoder().encode(text).length} bytes)`);
        } catch (error) {
            this._error.textContent = String(error?.message ?? error).replace(/^.*Exception: /, '');
            throw error;
        }
    }

    _setNote(note) {
        this._note = note;
        this._render();
    }

    _render() {
        const { toGuest, fromGuest, reason } = this._state;
        let what;
        if (toGuest && fromGuest) {
            what = 'Paste (Ctrl+V) sets the guest\'s clipboard; what the guest copies comes here.';
        } else if (toGuest) {
            what = 'Paste (Ctrl+V) sets the guest\'s clipboard; the guest\'s copies do not come back.';
        } else if (fromGuest) {
            what = 'What the guest copies comes here; text cannot be sent to the guest.';
        } else {
            what = reason ? `${reason[0].toUpperCase()}${reason.slice(1)}.` : 'No clipboard.';
        }
        const why = reason && (toGuest || fromGuest) ? `(${reason})` : '';
        this._status.textContent = [what, why, this._note ? `· ${this._note}` : ''].filter(Boolean).join(' ');
        this._form.dataset.toGuest = String(toGuest);
        this._form.dataset.fromGuest = String(fromGuest);
        this._sendButton.disabled = !toGuest;
        this._text.readOnly = !toGuest && !fromGuest;
    }
}
