import { Keys } from './keymap.js';

/** What the input holds between edits: a few characters, so Backspace always has one to delete. */
const SENTINEL = '_'.repeat(16);
/** Characters in one typeText call (the hub takes up to 4096). */
const PIECE = 1024;
/** Mobile keyboards' typography, as the ASCII a US layout can type. */
const TYPOGRAPHY = new Map([
    ['\u2018', "'"], ['\u2019', "'"], ['\u201A', "'"], ['\u201C', '"'], ['\u201D', '"'], ['\u201E', '"'],
    ['\u2013', '-'], ['\u2014', '-'], ['\u2212', '-'], ['\u2026', '...'], ['\u00A0', ' '], ['\u2022', '*'],
]);

/**
 * Typing from the platform's on-screen keyboard. Mobile keyboards send little that says which key
 * was hit: keydown has key "Unidentified" (keyCode 229) and no code, and the text arrives as
 * input events (insertText, composition, autocorrect replacing a word). So the text field is
 * compared with what it held before each change: characters gone are Backspace presses, new
 * text is typed on the guest's layout as the Type text panel does (newline as Enter, tab as Tab),
 * and the field is set back to a short sentinel once no composition is open. Physical keys (a
 * tablet's keyboard) have a code and go by it through the Keyboard on the same field; their keydown
 * is taken (preventDefault), so they never reach the text.
 *
 * The key row holds what such keyboards lack: Ctrl, Alt and Shift are sticky (a tap latches one
 * for the next key or text, a second tap lets it go) and Esc, Tab, arrows, Home/End, PgUp/PgDn, Del
 * are sent at a tap, with whatever is latched. Buttons there never take focus from the field, so
 * the platform keyboard stays up.
 */
export default class VirtualKeyboard extends EventTarget {
    /** input: the text field; row: the key row; queue: InputQueue; typeText: async (text) => void. */
    constructor(input, row, queue, typeText) {
        super();
        this._input = input;
        this._row = row;
        this._queue = queue;
        this._typeText = typeText;
        this._value = '';
        this._composing = false;
        this._latched = new Set();
        this._open = false;
        this._chain = Promise.resolve();
        this.enabled = true;
        this.counts = { backspaces: 0, texts: 0, characters: 0, dropped: 0, keys: 0 };
        this.lastError = null;
        input.addEventListener('input', (e) => {
            if (!e.isComposing) {
                this._sync(true);
            } else {
                this._sync(false);
            }
        });
        input.addEventListener('compositionstart', () => { this._composing = true; });
        input.addEventListener('compositionend', () => {
            this._composing = false;
            this._sync(true);
        });
        // A tablet keyboard's Backspace or Enter without a code: pressed here, never edited into the field.
        input.addEventListener('keydown', (e) => this._onKeyDown(e));
        for (const button of row.querySelectorAll('button')) {
            button.addEventListener('pointerdown', (e) => e.preventDefault()); // keep the field's focus
            button.addEventListener('click', () => this._onRowButton(button));
        }
        this._reset();
    }

    get open() { return this._open; }

    /** Modifier evdev codes latched now. */
    get latched() { return [...this._latched]; }

    /** Shows the key row and focuses the field (in a user gesture, that brings up the platform keyboard). */
    show() {
        this._open = true;
        this._row.hidden = false;
        this._reset();
        this.focus();
        this.dispatchEvent(new CustomEvent('change', { detail: { open: true } }));
    }

    hide() {
        if (!this._open) {
            return;
        }
        this._open = false;
        this._row.hidden = true;
        this._setLatched([]);
        this._input.blur();
        this.dispatchEvent(new CustomEvent('change', { detail: { open: false } }));
    }

    toggle() {
        if (this._open) {
            this.hide();
        } else {
            this.show();
        }
    }

    focus() {
        this._input.focus({ preventScroll: true });
    }

    /** Waits until every text sent so far has been typed (for tests and ordering). */
    get settled() { return this._chain; }

    _onKeyDown(e) {
        if (!this.enabled || e.isComposing || e.code !== '' || e.keyCode === 229) {
            return; // composition, an IME key, or a physical key with a code (the field's Keyboard sends those)
        }
        const code = NAMED_KEYS[e.key];
        if (code !== undefined) {
            e.preventDefault();
            this._sendKey(code);
        }
    }

    _onRowButton(button) {
        if (!this.enabled) {
            return;
        }
        if (button.dataset.sticky) {
            const code = Number(button.dataset.sticky);
            const latched = new Set(this._latched);
            if (latched.has(code)) {
                latched.delete(code);
            } else {
                latched.add(code);
            }
            this._setLatched([...latched]);
        } else if (button.dataset.key) {
            this._sendKey(Number(button.dataset.key));
        }
        if (this._open) {
            this.focus();
        }
    }

    _setLatched(codes) {
        this._latched = new Set(codes);
        for (const button of this._row.querySelectorAll('button[data-sticky]')) {
            button.setAttribute('aria-pressed', String(this._latched.has(Number(button.dataset.sticky))));
        }
    }

    /** One key press (with the latched modifiers), after any text still being typed. */
    _sendKey(code) {
        const modifiers = this.latched;
        this._setLatched([]);
        this.counts.keys++;
        this._after(() => {
            for (const m of modifiers) {
                this._queue.key(m, true);
            }
            this._queue.key(code, true);
            this._queue.key(code, false);
            for (const m of [...modifiers].reverse()) {
                this._queue.key(m, false);
            }
            this._queue.flush();
        });
    }

    /**
     * Compares the field with what it held: removed characters become Backspace, new ones text.
     * Edits happen at the end (the caret is kept there). reset: set the field back afterwards.
     */
    _sync(reset) {
        const value = this._input.value, last = this._value;
        if (!this.enabled) {
            this._reset();
            return;
        }
        if (value !== last) {
            let same = 0;
            const n = Math.min(value.length, last.length);
            while (same < n && value[same] === last[same]) {
                same++;
            }
            const removed = last.length - same, added = value.slice(same);
            this._value = value;
            for (let i = 0; i < removed; i++) {
                this.counts.backspaces++;
                this._sendKey(Keys.Backspace);
            }
            if (added !== '') {
                this._sendText(added);
            }
        }
        if (reset && !this._composing) {
            this._reset();
        }
    }

    _sendText(text) {
        const modifiers = this.latched;
        let ascii = '';
        for (const c of text) {
            const mapped = TYPOGRAPHY.get(c) ?? c;
            if (/^[\x20-\x7e\t\n]+$/.test(mapped)) {
                ascii += mapped;
            } else {
                this.counts.dropped++;
            }
        }
        if (ascii === '') {
            return;
        }
        if (modifiers.length > 0) {
            this._setLatched([]);
            // Ctrl+C, not Ctrl+Shift+C: a phone keyboard may have capitalised the letter.
            ascii = ascii.toLowerCase();
        }
        this.counts.texts++;
        this.counts.characters += ascii.length;
        this._after(async () => {
            for (const m of modifiers) {
                this._queue.key(m, true);
            }
            this._queue.flush();
            try {
                for (let i = 0; i < ascii.length; i += PIECE) {
                    await this._typeText(ascii.slice(i, i + PIECE));
                }
            } catch (error) {
                this.lastError = String(error?.message ?? error).replace(/^.*HubException: /, '');
                console.warn(`keyboard: ${this.lastError}`);
            } finally {
                for (const m of [...modifiers].reverse()) {
                    this._queue.key(m, false);
                }
                this._queue.flush();
            }
        });
    }

    /** Runs step after every earlier one: keys and texts reach the guest in the order they were typed. */
    _after(step) {
        this._chain = this._chain.then(step, step);
    }

    _reset() {
        this._input.value = SENTINEL;
        this._value = SENTINEL;
        const end = SENTINEL.length;
        this._input.setSelectionRange?.(end, end);
    }
}

/** key names (KeyboardEvent.key) of keys that may come without a code, as evdev codes. */
const NAMED_KEYS = Object.freeze({
    Backspace: 14, Enter: 28, Tab: 15, Escape: 1, Delete: 111,
    ArrowUp: 103, ArrowDown: 108, ArrowLeft: 105, ArrowRight: 106, Home: 102, End: 107, PageUp: 104, PageDown: 109,
});
