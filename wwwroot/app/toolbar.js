/**
 * The console page's toolbar: wires its buttons to actions, keeps their pressed/expanded states,
 * opens one panel at a time (extra keys, type text, clipboard) and hides itself behind a small handle.
 * With toolbar=0 it never shows. After a button click, focus goes back to the console canvas so
 * typing continues in the guest; the type-text box keeps its keys to itself.
 */
export default class Toolbar {
    constructor({ enabled, viewOnly, canvas, actions }) {
        const $ = (id) => document.getElementById(id);
        this._bar = $('toolbar');
        this._handle = $('toolbar-show');
        this._canvas = canvas;
        this._enabled = enabled;
        this._panels = { keys: [$('keys-panel'), $('btn-keys')], type: [$('type-panel'), $('btn-type')], clip: [$('clip-panel'), $('btn-clip')] };
        this._clipText = $('clip-text');
        this._scale = $('scale-toggle');
        this._fullscreen = $('btn-fullscreen');
        this._stats = $('btn-stats');
        this._typeText = $('type-text');
        this._typeError = $('type-error');
        $('view-only').hidden = !viewOnly;
        this._bar.querySelector('.group.control').hidden = viewOnly;
        this.hidden = !enabled;

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
        }
        window.dispatchEvent(new Event('resize'));
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
        for (const [panel, button] of Object.values(this._panels)) {
            panel.hidden = true;
            button.setAttribute('aria-expanded', 'false');
        }
    }

    setScale(mode) {
        const off = mode === 'off';
        this._scale.setAttribute('aria-pressed', String(off));
        this._scale.textContent = off ? 'Fit' : '1:1';
        this._scale.title = off ? 'Fit the console to the window' : 'Show 1:1 pixels';
    }

    setFullscreen(on) {
        this._fullscreen.setAttribute('aria-pressed', String(on));
        this._fullscreen.textContent = on ? 'Exit full screen' : 'Full screen';
    }

    setStats(on) {
        this._stats.setAttribute('aria-pressed', String(on));
    }

    focusCanvas() {
        this._canvas.focus({ preventScroll: true });
    }
}
