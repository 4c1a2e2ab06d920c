import { evdevCode, Keys } from './keymap.js';

const isMac = /^Mac/.test(navigator.platform);
const isWindows = /^Win/.test(navigator.platform);

/** How long a paste key waits for the browser's paste event before it goes to the guest anyway. */
export const PASTE_EVENT_WAIT_MS = 400;

/**
 * Physical keys from a focused element to the guest: KeyboardEvent.code becomes an evdev
 * keycode, so the guest's own layout decides what a key means. Auto-repeat is sent as another
 * press (evdev value 1 again). Every held key is released when the element loses focus or the
 * page is hidden, so the guest never sees a stuck key. A key-up is always passed on, even for a
 * key pressed before the element had focus.
 *
 * Quirks handled: Windows sends a fake ControlLeft before AltRight for AltGr (dropped); macOS
 * sends no key-up for keys released while Command is held (released with Command) and toggles
 * Caps Lock on key-down only (sent as a press and a release).
 *
 * Paste: with onPaste set, Ctrl+V / Cmd+V is let through to the browser, which turns it into a
 * paste event; its text goes to onPaste (which sets the guest's clipboard) and only once that has
 * resolved does the V press reach the guest, followed by every key event that came meanwhile, in
 * order, so the guest application pastes what was just copied. Without a paste event within
 * PASTE_EVENT_WAIT_MS the key goes on as it is. A paste with no key (the browser's menu) only
 * calls onPaste.
 */
export default class Keyboard {
    /** queue: an InputQueue (key(code, down)). */
    constructor(target, queue) {
        this._target = target;
        this._queue = queue;
        this._held = new Map(); // evdev code -> KeyboardEvent.code
        this._pendingCtrl = null;
        this._paste = null; // { code, name, deferred: [[down, event]], timer } while a paste key waits
        this.enabled = true;
        /** async (text) => void: sets the guest's clipboard; null sends the paste key at once. */
        this.onPaste = null;
        target.addEventListener('paste', (e) => this._onPaste(e));
        target.addEventListener('keydown', (e) => this._onKeyDown(e));
        target.addEventListener('keyup', (e) => this._onKeyUp(e));
        target.addEventListener('blur', () => this.releaseAll());
        window.addEventListener('blur', () => this.releaseAll());
        window.addEventListener('pagehide', () => this.releaseAll());
        document.addEventListener('visibilitychange', () => {
            if (document.visibilityState !== 'visible') {
                this.releaseAll();
            }
        });
    }

    /** evdev codes held now. */
    get held() { return [...this._held.keys()]; }

    /** Presses and releases a combination, e.g. [Keys.ControlLeft, Keys.AltLeft, Keys.Delete]. */
    sendCombination(codes) {
        for (const code of codes) {
            this._queue.key(code, true);
        }
        for (const code of [...codes].reverse()) {
            this._queue.key(code, false);
        }
        this._queue.flush();
    }

    /** True while a paste key waits for its paste event or for the guest's clipboard. */
    get pasting() { return this._paste !== null; }

    releaseAll() {
        if (this._paste?.waitingForEvent) {
            this._endPaste(); // focus left before the paste event: nothing will come
        }
        this._flushPendingCtrl();
        for (const code of this._held.keys()) {
            this._queue.key(code, false);
        }
        this._held.clear();
        this._queue.flush();
    }

    _onKeyDown(e) {
        // keyCode 229: an input method (or a phone's keyboard) has the key; its text comes as input events.
        if (!this.enabled || e.isComposing || e.keyCode === 229) {
            return;
        }
        const code = evdevCode(e.code);
        if (code === 0) {
            return;
        }
        if (this._paste) {
            e.preventDefault();
            this._paste.deferred.push([true, e]);
            return;
        }
        if (this.onPaste && e.code === 'KeyV' && (e.ctrlKey || e.metaKey) && !e.altKey && !e.repeat) {
            // No preventDefault: the browser makes a paste event of this key. The key waits for it.
            this._flushPendingCtrl();
            this._paste = { code, name: e.code, deferred: [], waitingForEvent: true, timer: setTimeout(() => this._endPaste(), PASTE_EVENT_WAIT_MS) };
            return;
        }
        e.preventDefault();
        if (isWindows) {
            if (e.code === 'ControlLeft' && !e.repeat) {
                // Maybe the fake half of AltGr: hold it back until the next key says.
                this._flushPendingCtrl();
                this._pendingCtrl = { timeStamp: e.timeStamp, timer: setTimeout(() => this._flushPendingCtrl(), 50) };
                return;
            }
            if (this._pendingCtrl) {
                const fake = e.code === 'AltRight' && e.timeStamp - this._pendingCtrl.timeStamp < 50;
                clearTimeout(this._pendingCtrl.timer);
                this._pendingCtrl = null;
                if (!fake) {
                    this._press(Keys.ControlLeft, 'ControlLeft');
                }
            }
        }
        if (isMac && e.code === 'CapsLock') {
            this._queue.key(code, true);
            this._queue.key(code, false);
            return;
        }
        this._press(code, e.code);
    }

    _onKeyUp(e) {
        if (!this.enabled) {
            return;
        }
        const code = evdevCode(e.code);
        if (code === 0) {
            return;
        }
        e.preventDefault();
        if (this._paste) {
            this._paste.deferred.push([false, e]);
            return;
        }
        if (isWindows && e.code === 'ControlLeft' && this._pendingCtrl) {
            this._flushPendingCtrl();
        }
        if (isMac && e.code === 'CapsLock') {
            this._queue.key(code, true);
            this._queue.key(code, false);
            return;
        }
        this._held.delete(code);
        this._queue.key(code, false);
        if (isMac && (e.code === 'MetaLeft' || e.code === 'MetaRight')) {
            // macOS swallowed the key-ups of keys released while Command was down.
            for (const held of [...this._held.keys()]) {
                this._held.delete(held);
                this._queue.key(held, false);
            }
        }
    }

    async _onPaste(e) {
        if (!this.enabled || !this.onPaste) {
            return;
        }
        e.preventDefault();
        const text = e.clipboardData?.getData('text/plain') ?? '';
        const paste = this._paste;
        if (paste) {
            clearTimeout(paste.timer); // the event came: the key now waits for the guest's clipboard
            paste.waitingForEvent = false;
        }
        try {
            if (text !== '') {
                await this.onPaste(text);
            }
        } catch (error) {
            console.warn(`paste: ${error?.message ?? error}`);
        } finally {
            if (paste && this._paste === paste) {
                this._endPaste();
            }
        }
    }

    /** The paste key reaches the guest, then what was typed while it waited. */
    _endPaste() {
        const paste = this._paste;
        if (!paste) {
            return;
        }
        this._paste = null;
        clearTimeout(paste.timer);
        this._press(paste.code, paste.name);
        for (const [down, event] of paste.deferred) {
            if (down) {
                this._onKeyDown(event);
            } else {
                this._onKeyUp(event);
            }
        }
        this._queue.flush();
    }

    _press(code, name) {
        this._held.set(code, name);
        this._queue.key(code, true);
    }

    _flushPendingCtrl() {
        if (this._pendingCtrl) {
            clearTimeout(this._pendingCtrl.timer);
            this._pendingCtrl = null;
            this._press(Keys.ControlLeft, 'ControlLeft');
        }
    }
}
