import { createHubProtocol } from './hub-protocol.js';
import { serverUrl } from './paths.js';

/**
 * The viewer's link to one console: a SignalR connection to the console hub (MessagePack),
 * joined to the console. Reconnection is our own loop rather than SignalR's automatic
 * reconnect, because every new connection must join again (which brings a full repaint),
 * and the wait between attempts grows exponentially with jitter, so a restarted server
 * is not hit by every viewer at the same instant.
 *
 * state: "idle", "connecting", "connected" (joined), "reconnecting" (waiting until
 * retryAt), "denied" (the server refused the ticket: error says why; no retry until setTicket()
 * or retryNow()), "removed" (the server removed the console: its State "removed" came, or Join
 * answered so; the connection is closed and not retried until setTicket() or retryNow()),
 * "unknown" (Join was refused: no console by that id; error says so; the same wait), "stopped".
 *
 * Events: "statechange" ({ state, retryAt, error }), "open" (a connection is up, about to
 * join: forget what belonged to the previous one), "joined" ({ width, height, state,
 * reason }), "update", "resize", "sourcestate", "cursor", "clipboard" ({ text, initial }) and
 * "clipboardstate" ({ toGuest, fromGuest, reason, maxBytes }) (the hub's Update, Resize, State,
 * Cursor, Clipboard and ClipboardState messages, as sent).
 *
 * With reconnect false, a lost connection stays "stopped" until start() is called again.
 */
/** How long a connection must have lasted for the next reconnect to start from the shortest wait. */
const STABLE_MS = 10000;

/**
 * Rejoins on one connection are at least this far apart (the server caps Join at 2 per second per
 * connection after a burst): decode errors in a row, or a full frame that fails again, ask for one
 * rejoin when the wait ends, never a loop.
 */
export const REJOIN_INTERVAL_MS = 1000;

/** Clipboard text goes to the server in pieces of this many bytes (a hub message holds at most 64 KiB). */
export const CLIPBOARD_PIECE = 32 * 1024;

/** The state the server sends a viewer whose console left the live set. */
export const REMOVED = 'removed';

/** The server's "unknown console 'vm1'" inside a SignalR error message (a refused Join), or null. */
export function unknownConsole(error) {
    const match = /unknown console '[^']*'/.exec(String(error?.message ?? error ?? ''));
    return match ? match[0] : null;
}

/** The server's refusal ("access denied: ticket expired") inside a SignalR error message, or null. */
export function accessDenied(error) {
    const match = /access denied: (.*?)(?:: Status code '\d+'|$)/.exec(String(error?.message ?? error ?? ''));
    return match ? `access denied: ${match[1]}` : null;
}

export default class Connection extends EventTarget {
    constructor(consoleId, { url = serverUrl('hubs/console'), minDelayMs = 500, maxDelayMs = 15000, reconnect = true, signalR = globalThis.signalR, ticket = null } = {}) {
        super();
        this._ticket = ticket;
        this._consoleId = consoleId;
        this._url = url;
        this._minDelayMs = minDelayMs;
        this._maxDelayMs = maxDelayMs;
        this._signalR = signalR;
        this._reconnect = reconnect;
        this._hub = null;
        this._joined = false;
        this._state = 'idle';
        this._retryAt = 0;
        this._error = null;
        this._wake = null;
        this._running = false;
        this._rejoining = null;
        this._rejoinWanted = false;
        this._lastRejoin = -Infinity;
        this._removed = null;
    }

    get state() { return this._state; }

    /** When the next attempt starts (ms since the epoch), while reconnecting. */
    get retryAt() { return this._retryAt; }

    /** Why the last connection or join failed, if it did. */
    get error() { return this._error; }

    start() {
        if (this._running) {
            return;
        }
        this._running = true;
        this._run();
    }

    /**
     * The page knows before connecting that the server has no such console (it answered the page
     * itself with 404): the state says so without a connection; start() still tries.
     */
    setUnknown(message) {
        if (this._running) {
            return;
        }
        this._error = new Error(message);
        this._setState('unknown');
    }

    async stop() {
        this._running = false;
        this._wake?.();
        const hub = this._hub;
        this._hub = null;
        this._joined = false;
        this._setState('stopped');
        if (hub) {
            await hub.stop();
        }
    }

    /** The server's reason ("console removed") once it removed the console, until a new attempt starts. */
    get removed() { return this._removed; }

    /** A new access ticket (the embedding page sent one): used from the next attempt, which starts now. */
    setTicket(ticket) {
        this._ticket = ticket;
        this._wake?.();
    }

    /** Skips the rest of the current wait (the network came back, the user asked). */
    retryNow() {
        this._wake?.();
    }

    /**
     * Tells the server an update is on screen; lost harmlessly when no connection is up.
     * Updates may come before Join returns, so acks go out as soon as the connection is up.
     */
    ack(frameId) {
        if (this._hub) {
            this._hub.send('Ack', frameId).catch(() => {});
        }
    }

    /** Sends input events ({ t, code, value, x, y }); dropped when no console is joined. */
    sendInput(events) {
        if (this._hub && this._joined) {
            this._hub.send('Input', events).catch((error) => console.warn(`input: ${error}`));
        }
    }

    /** Types text in the guest as key presses; rejects with the server's reason. */
    async typeText(text) {
        if (!this._hub || !this._joined) {
            throw new Error('not connected');
        }
        await this._hub.invoke('TypeText', text);
    }

    /**
     * Sets the guest's clipboard to text (UTF-8, in pieces of CLIPBOARD_PIECE bytes); resolves once the
     * server says the guest has it, rejects with the server's reason (not allowed, too large, rate).
     */
    async setClipboard(text) {
        // ClipboardState comes while Join is under way; the server runs a connection's calls in
        // order, so a call sent now is handled after the join.
        if (!this._hub) {
            throw new Error('not connected');
        }
        const hub = this._hub;
        const bytes = new TextEncoder().encode(String(text));
        let done = false;
        for (let offset = 0; offset === 0 || offset < bytes.length; offset += CLIPBOARD_PIECE) {
            done = await hub.invoke('SetClipboard', offset, bytes.length, bytes.subarray(offset, offset + CLIPBOARD_PIECE));
            if (bytes.length === 0) {
                break;
            }
        }
        if (!done) {
            throw new Error('the server did not take the whole text');
        }
    }

    /** The round trip to the server in ms, or null when not connected. */
    async ping() {
        if (!this._hub || !this._joined) {
            return null;
        }
        const start = performance.now();
        await this._hub.invoke('Ping');
        return performance.now() - start;
    }

    /**
     * Joins again on the same connection, for a full repaint; drops the connection if that fails.
     * Calls while a rejoin is under way or within REJOIN_INTERVAL_MS of the last one are folded into
     * one rejoin when the interval ends.
     */
    rejoin() {
        this._rejoinWanted = true;
        this._rejoining ??= this._rejoinLoop().finally(() => { this._rejoining = null; });
        return this._rejoining;
    }

    async _rejoinLoop() {
        while (this._rejoinWanted) {
            const wait = this._lastRejoin + REJOIN_INTERVAL_MS - performance.now();
            if (wait > 0) {
                await new Promise((resolve) => setTimeout(resolve, wait));
            }
            this._rejoinWanted = false;
            const hub = this._hub;
            if (!hub || !this._joined || this._removed) {
                return;
            }
            this._lastRejoin = performance.now();
            try {
                this._emit('open');
                const joined = await hub.invoke('Join', this._consoleId);
                this._emit('joined', joined);
                this._noteSourceState(hub, joined);
            } catch (error) {
                this._error = error;
                this._rejoinWanted = false;
                if (this._hub === hub) {
                    hub.stop(); // onclose ends the wait in _run, which reconnects
                }
                return;
            }
        }
    }

    async _run() {
        let attempt = 0;
        while (this._running) {
            this._setState('connecting');
            const hub = this._build();
            let closeError = null;
            const closed = new Promise((resolve) => hub.onclose((e) => { closeError = e ?? null; resolve(e); }));
            try {
                await hub.start();
                if (!this._running) {
                    await hub.stop();
                    return;
                }
                this._hub = hub;
                this._emit('open');
                const joined = await hub.invoke('Join', this._consoleId);
                this._joined = true;
                this._error = null;
                const joinedAt = Date.now();
                this._setState('connected');
                this._emit('joined', joined);
                this._noteSourceState(hub, joined);
                this._error = (await closed) ?? null;
                // A connection that lasted starts the backoff afresh; one that keeps dropping at once does not.
                if (Date.now() - joinedAt > STABLE_MS) {
                    attempt = 0;
                }
            } catch (error) {
                // A refused connection is closed with the reason, which the failed Join does not carry.
                this._error = accessDenied(closeError) ? closeError : error;
                hub.stop().catch(() => {});
            }
            this._hub = null;
            this._joined = false;
            if (!this._running) {
                return;
            }
            const gone = this._removed ?? unknownConsole(this._error);
            if (gone) {
                // The console is not on the server (any more): reconnecting would only be refused.
                // A new ticket (the dashboard re-created it) or retryNow() tries again.
                this._error = new Error(gone);
                this._retryAt = 0;
                this._setState(this._removed ? 'removed' : 'unknown');
                await this._sleep(-1);
                this._removed = null;
                attempt = 0;
                continue;
            }
            const denied = accessDenied(this._error);
            if (denied) {
                // Retrying the same ticket cannot help: wait for a new one (setTicket) or retryNow().
                this._error = new Error(denied);
                this._retryAt = 0;
                this._setState('denied');
                await this._sleep(-1);
                attempt = 0;
                continue;
            }
            if (!this._reconnect) {
                this._running = false;
                this._setState('stopped');
                return;
            }
            const delay = this._delay(attempt++);
            this._retryAt = Date.now() + delay;
            this._setState('reconnecting');
            await this._sleep(delay);
            this._retryAt = 0;
        }
    }

    _build() {
        const signalR = this._signalR;
        // The ticket travels as access_token (query for WebSockets, bearer header for negotiate).
        const options = this._ticket ? { accessTokenFactory: () => this._ticket } : {};
        const hub = new signalR.HubConnectionBuilder()
            .withUrl(this._url, options)
            .withHubProtocol(createHubProtocol(signalR))
            .configureLogging(signalR.LogLevel.Warning)
            .build();
        // Messages of a connection that has been replaced are dropped.
        const forward = (name) => (message) => {
            if (this._hub === hub) {
                this._emit(name, message);
            }
        };
        hub.on('Update', forward('update'));
        hub.on('Resize', forward('resize'));
        hub.on('State', (message) => {
            if (this._hub === hub) {
                this._emit('sourcestate', message);
                this._noteSourceState(hub, message);
            }
        });
        hub.on('Cursor', forward('cursor'));
        hub.on('Clipboard', forward('clipboard'));
        hub.on('ClipboardState', forward('clipboardstate'));
        return hub;
    }

    /**
     * A State (or Join answer) of "removed": the server closes the connection next; closing it from
     * here too means a server that does not get to it still leaves no connection, and no rejoin.
     */
    _noteSourceState(hub, { state, reason }) {
        if (state !== REMOVED || this._hub !== hub) {
            return;
        }
        this._removed = reason || 'console removed';
        this._rejoinWanted = false;
        hub.stop().catch(() => {});
    }

    /** Exponential backoff with "equal jitter": half the step is fixed, half is random. */
    _delay(attempt) {
        const step = Math.min(this._maxDelayMs, this._minDelayMs * 2 ** Math.min(attempt, 16));
        return step / 2 + Math.random() * step / 2;
    }

    /** Waits ms (forever if negative), or less if retryNow() or stop() wakes it. */
    _sleep(ms) {
        return new Promise((resolve) => {
            let timer = 0;
            const done = () => {
                clearTimeout(timer);
                this._wake = null;
                resolve();
            };
            timer = ms >= 0 ? setTimeout(done, ms) : 0;
            this._wake = done;
        });
    }

    _setState(state) {
        this._state = state;
        this._emit('statechange', { state, retryAt: this._retryAt, error: this._error });
    }

    _emit(name, detail) {
        this.dispatchEvent(new CustomEvent(name, { detail }));
    }
}
