/** Every message either way carries these. */
const TYPE = 'webconsole', VERSION = 1;

/**
 * postMessage between an embedded console and its parent page. Messages go only to the parent,
 * addressed to its exact origin, and only when that origin is allowed (Security:AllowedOrigins,
 * or the console's own origin, which could script the page anyway); never to '*'. Commands are
 * taken only from the parent window and only from an allowed origin; anything else is logged
 * and ignored.
 *
 * Out:  { type: 'webconsole', version: 1, console, event: 'connected' | 'disconnected' | 'resized' | 'error' | 'screenshot' | 'ready'
 *        | 'removed' | 'clipboard' | 'clipboardstate' | 'clipboardset' | 'keyboard' | 'zoom', ... }
 * In:   { type: 'webconsole', version: 1, command: 'fullscreen' | 'screenshot' | 'sendKeys' | 'typeText' | 'setScale' | 'connect'
 *        | 'setClipboard' | 'getClipboard' | 'keyboard' | 'setZoom', ... }
 */
export default class EmbedApi {
    constructor(consoleId, allowedOrigins, commands) {
        this._consoleId = consoleId;
        this._allowed = new Set([location.origin, ...allowedOrigins.map((o) => o.replace(/\/+$/, ''))]);
        this._commands = commands;
        this._embedded = window.parent !== window;
        this._target = this._embedded ? this._parentOrigin() : null;
        this.received = 0;
        if (this._embedded && !this._target) {
            console.warn('webconsole: the embedding page\'s origin is not in Security:AllowedOrigins; no messages are exchanged');
        }
        window.addEventListener('message', (e) => this._onMessage(e));
    }

    /** The parent's origin messages go to, or null (not embedded, or not allowed). */
    get parentOrigin() { return this._target; }

    /** Sends an event to the parent, when there is an allowed one. */
    post(event, detail = {}) {
        if (!this._target) {
            return;
        }
        window.parent.postMessage({ ...detail, type: TYPE, version: VERSION, console: this._consoleId, event }, this._target);
    }

    _parentOrigin() {
        let origin = location.ancestorOrigins?.[0] ?? null;
        if (!origin && document.referrer) {
            try {
                origin = new URL(document.referrer).origin;
            } catch {
                origin = null;
            }
        }
        return origin && this._allowed.has(origin) ? origin : null;
    }

    async _onMessage(e) {
        const data = e.data;
        if (e.source !== window.parent || e.source === window || data?.type !== TYPE) {
            return;
        }
        if (!this._allowed.has(e.origin)) {
            console.warn(`webconsole: command from ${e.origin} ignored: origin not allowed`);
            return;
        }
        if (data.version !== VERSION || typeof data.command !== 'string' || !Object.hasOwn(this._commands, data.command)) {
            this._replyTo(e.origin, 'error', { command: data.command ?? null, message: `unknown command ${data.command} (version ${data.version})` });
            return;
        }
        this.received++;
        try {
            await this._commands[data.command](data);
        } catch (error) {
            this._replyTo(e.origin, 'error', { command: data.command, message: String(error?.message ?? error) });
        }
    }

    _replyTo(origin, event, detail) {
        window.parent.postMessage({ ...detail, type: TYPE, version: VERSION, console: this._consoleId, event }, origin);
    }
}
