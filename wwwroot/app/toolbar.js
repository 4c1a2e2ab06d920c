/** Buttons that leave the bar for the overflow menu when it is too narrow, the first to go first. */
const OVERFLOW_ORDER = ['btn-stats', 'btn-touchpad', 'btn-screenshot', 'btn-fullscreen', 'btn-hide', 'btn-clip', 'btn-type', 'btn-keys', 'scale-toggle', 'btn-cad'];

/**
 * The console page's toolbar: wires its buttons to actions, keeps their pressed/expanded states,
 * opens one panel at a time (extra keys, type text, clipboard) and hides itself behind a small handle.
 * With toolbar=0 it never shows. After a button click, focus goes back to the console canvas so
 * typing continues in the guest; the type-text box keeps its keys to itself.
 *
 * Narrow screens: whatever does not fit the bar's width goes, in OVERFLOW_ORDER, into the menu
 * behind the "⋯" button (the same buttons, moved, so nothing is out of reach at any width); the
 * keyboard and menu buttons always stay.
 */
export default class Toolbar {
    constructor({ enabled, viewOnly, canvas, actions, focus = null }) {
        const $ = (id) => document.getElementById(id);
        this._bar = $('toolbar');
        this._handle = $('toolbar-show');
        this._focus = focus ?? (() => canvas.focus({ preventScroll: true }));
        this._enabled = enabled;
        this._panels = { keys: [$('keys-panel'), $('btn-keys')], type: [$('type-panel'), $('btn-type')], clip: [$('clip-panel'), $('btn-clip')] };
        this._clipText = $('clip-text');
        this._scale = $('scale-toggle');
        this._fullscreen = $('btn-fullscreen');
        this._stats = $('btn-stats');
        this._typeText = $('type-text');
        this._typeError = $('type-error');
        this._more = $('btn-more');
        this._menu = $('more-menu');
        this._touchpad = $('btn-touchpad');
        this._viewOnly = viewOnly;
        $('view-only').hidden = !viewOnly;
        $('btn-kbd').hidden = viewOnly;
        this._touchpad.hidden = viewOnly;
        // Each button's place in the bar, to put it back when the bar grows again.
        this._homes = OVERFLOW_ORDER.map((id) => [$(id), $(id).parentElement, $(id).nextElementSibling]);
        this._homes.reverse(); // restored last-gone first, so each finds its next sibling already home
        this._barOrder = [...this._bar.querySelectorAll('button')].filter((b) => OVERFLOW_ORDER.includes(b.id));
        this._groups = [...this._bar.querySelectorAll('.group')];
        this.hidden = !enabled;
        new ResizeObserver(() => this.layout()).observe(this._bar);
        // The bar keeps its size when its texts change (status, name, frame size): lay out again then.
        let queued = false;
        const texts = new MutationObserver(() => {
            if (!queued) {
                queued = true;
                requestAnimationFrame(() => {
                    queued = false;
                    this.layout();
                });
            }
        });
        for (const id of ['status', 'console-name', 'console-size', 'view-only']) {
            texts.observe($(id), { childList: true, characterData: true, subtree: true, attributes: true });
        }
        this._menu.addEventListener('click', (e) => {
            if (e.target.closest('button')) {
                this._setMenu(false);
            }
        });
        this._more.addEventListener('click', () => this._setMenu(this._menu.hidden));

        const click = (id, action, refocus = true) => $(id).addEventListener('click', async () => {
            try {
                await action();
            } catch (error) {
                console.warn(`${id}: ${error?.message ?? error}`);
            }
            if (refocus) {
                this.focusCanvas();
            }
        });
        click('btn-cad', actions.ctrlAltDel);
        click('btn-keys', () => this.toggle('keys'), false);
        click('btn-type', () => this.toggle('type'), false);
        click('btn-clip', () => this.toggle('clip'), false);
        click('clip-cancel', () => this.close());
        click('scale-toggle', actions.toggleScale);
        click('btn-fullscreen', actions.toggleFullscreen);
        click('btn-screenshot', actions.screenshot);
        click('btn-stats', actions.toggleStats);
        click('btn-touchpad', actions.toggleTouchpad);
        click('btn-kbd', actions.toggleKeyboard, false);
        // The keyboard button must not take focus from the keyboard input (that would close the platform keyboard).
        $('btn-kbd').addEventListener('pointerdown', (e) => e.preventDefault());
        click('btn-hide', () => { this.hidden = true; });
        click('toolbar-show', () => { this.hidden = false; });
        click('type-cancel', () => this.close());

        const form = this._panels.type[0];
        form.addEventListener('submit', async (e) => {
            e.preventDefault();
            this._typeError.textContent = '';
            try {
                await actions.typeText(this._typeText.value);
                this._typeText.value = '';
                this.close();
                this.focusCanvas();
            } catch (error) {
                this._typeError.textContent = String(error?.message ?? error).replace(/^.*HubException: /, '');
            }
        });
        this._panels.clip[0].addEventListener('keydown', (e) => {
            if (e.key === 'Escape') {
                e.preventDefault();
                this.close();
                this.focusCanvas();
            }
        });
        form.addEventListener('keydown', (e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                form.requestSubmit();
            } else if (e.key === 'Escape') {
                e.preventDefault();
                this.close();
                this.focusCanvas();
            }
        });
    }

    get hidden() { return this._bar.hidden; }

    set hidden(value) {
        const hide = Boolean(value) || !this._enabled;
        this._bar.hidden = hide;
        this._handle.hidden = !hide || !this._enabled;
        if (hide) {
            this.close();
        } else {
            this.layout();
        }
        window.dispatchEvent(new Event('resize'));
    }

    /**
     * Fits the bar to its width: every movable button back home, then, while the bar overflows,
     * the next one in OVERFLOW_ORDER into the menu. Call after a button's text changed.
     */
    layout() {
        if (this._bar.hidden) {
            return;
        }
        for (const [button, parent, next] of this._homes) {
            if (button.parentElement !== parent) {
                parent.insertBefore(button, next && next.parentElement === parent ? next : null);
            }
        }
        this._syncGroups();
        this._more.hidden = true;
        if (!this._overflows()) {
            this._setMenu(false);
            return;
        }
        this._more.hidden = false;
        for (const id of OVERFLOW_ORDER) {
            const button = document.getElementById(id);
            if (button.hidden) {
                continue; // not offered here (view only): not in the menu either
            }
            this._menu.prepend(button);
            this._syncGroups();
            if (!this._overflows()) {
                break;
            }
        }
        // Menu order follows the bar's order.
        for (const button of this._barOrder) {
            if (button.parentElement === this._menu) {
                this._menu.appendChild(button);
            }
        }
    }

    /** Buttons in the overflow menu now, by id (for tests and diagnostics). */
    get overflowed() { return [...this._menu.querySelectorAll('button')].map((b) => b.id); }

    _overflows() { return this._bar.scrollWidth > this._bar.clientWidth + 1; }

    _syncGroups() {
        for (const group of this._groups) {
            group.hidden = (group.classList.contains('control') && this._viewOnly) || ![...group.children].some((c) => !c.hidden);
        }
    }

    _setMenu(open) {
        if (open) {
            this.close();
        }
        this._menu.hidden = !open;
        this._more.setAttribute('aria-expanded', String(open));
    }

    setTouchpad(on) {
        this._touchpad.setAttribute('aria-pressed', String(on));
    }

    setKeyboard(on) {
        document.getElementById('btn-kbd').setAttribute('aria-pressed', String(on));
    }

    /** Which panel is open: 'keys', 'type', 'clip' or null. */
    get openPanel() {
        for (const [name, [panel]] of Object.entries(this._panels)) {
            if (!panel.hidden) {
                return name;
            }
        }
        return null;
    }

    toggle(name) {
        const open = this.openPanel === name;
        this.close();
        if (!open) {
            const [panel, button] = this._panels[name];
            panel.hidden = false;
            button.setAttribute('aria-expanded', 'true');
            if (name === 'type') {
                this._typeError.textContent = '';
                this._typeText.focus();
            } else if (name === 'clip') {
                this._clipText.focus();
            }
        }
    }

    close() {
        this._menu.hidden = true;
        this._more.setAttribute('aria-expanded', 'false');
        for (const [panel, button] of Object.values(this._panels)) {
            panel.hidden = true;
            button.setAttribute('aria-expanded', 'false');
        }
    }

    setScale(mode) {
        const off = mode !== 'fit'; // 1:1 or zoomed: the button goes back to fit
        this._scale.setAttribute('aria-pressed', String(off));
        this._scale.textContent = off ? 'Fit' : '1:1';
        this._scale.title = off ? 'Fit the console to the window' : 'Show 1:1 pixels';
        this.layout();
    }

    setFullscreen(on) {
        this._fullscreen.setAttribute('aria-pressed', String(on));
        this._fullscreen.textContent = on ? 'Exit full screen' : 'Full screen';
        this.layout();
    }

    setStats(on) {
        this._stats.setAttribute('aria-pressed', String(on));
    }

    /** Focus back to where typing goes: the canvas, or the on-screen keyboard's field while it is open. */
    focusCanvas() {
        this._focus();
    }
}
