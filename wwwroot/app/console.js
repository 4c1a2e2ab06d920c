import Connection from '../core/connection.js';
import Display from '../core/display.js';
import Viewport from '../core/viewport.js';
import InputQueue from '../core/input-queue.js';
import Keyboard from '../core/keyboard.js';
import Pointer from '../core/pointer.js';
import Wheel from '../core/wheel.js';
import Touch from '../core/touch.js';
import VirtualKeyboard from '../core/virtual-keyboard.js';
import CursorView from '../core/cursor.js';
import { evdevCode, Keys } from '../core/keymap.js';
import StatusView from './status-view.js';
import Toolbar from './toolbar.js';
import Stats from './stats.js';
import EmbedApi from './embed-api.js';
import readParams from './params.js';
import { buildKeysPanel } from './keys-panel.js';
import ClipboardPanel from './clipboard-panel.js';
import * as screenshot from './screenshot.js';
import { serverUrl } from '../core/paths.js';

// The page glue of /console/{id}: wires the connection to the display, the viewport, input,
// the cursor overlay, the toolbar and the embedding API, and publishes the read-only
// window.webConsole hook for tests.

const consoleId = decodeURIComponent(location.pathname.replace(/\/+$/, '').split('/').pop() ?? '');
const params = readParams();

const screen = document.getElementById('screen');
const canvas = document.getElementById('canvas');
const status = new StatusView(document.getElementById('status'));
const sizeLabel = document.getElementById('console-size');
const connectOverlay = document.getElementById('connect-overlay');
const goneOverlay = document.getElementById('gone-overlay');
document.getElementById('console-name').textContent = consoleId;
document.title = `${consoleId} · WebConsole`;

// An access ticket comes in the fragment (#ticket=...), never sent to a server or kept in history;
// the embedding page hands over a new one by changing the fragment again.
function takeTicket() {
    const ticket = new URLSearchParams(location.hash.slice(1)).get('ticket');
    if (ticket) {
        history.replaceState(history.state, '', location.pathname + location.search);
    }
    return ticket;
}

// The server answers this page with 404 for an id it does not know (a console removed before a
// reload, a mistyped link): say so at once rather than connect to be refused.
const unknownAtLoad = performance.getEntriesByType('navigation')[0]?.responseStatus === 404;

const connection = new Connection(consoleId, { reconnect: params.reconnect, minDelayMs: params.reconnectDelayMs, ticket: takeTicket() });
window.addEventListener('hashchange', () => {
    const ticket = takeTicket();
    if (ticket) {
        connection.setTicket(ticket);
        if (unknownAtLoad && connection.state === 'unknown') {
            connection.start(); // perhaps created since: the new ticket says try
        }
    }
});

const display = new Display(canvas, { ack: (frameId) => connection.ack(frameId), present: params.present });
const viewport = new Viewport(screen, canvas, params.scale);
const cursor = new CursorView(screen, canvas);
const queue = new InputQueue((events) => connection.sendInput(events));
const keyboard = new Keyboard(canvas, queue);
// The on-screen keyboard's field: text from the platform keyboard, and a tablet's physical keys by code.
const vkbdInput = document.getElementById('vkbd-input');
const fieldKeyboard = new Keyboard(vkbdInput, queue);
const vkbd = new VirtualKeyboard(vkbdInput, document.getElementById('key-row'), queue, (text) => connection.typeText(text));
const focusInput = () => (vkbd.open ? vkbd.focus() : canvas.focus({ preventScroll: true }));
const pointer = new Pointer(canvas, queue, { onMove: (x, y) => cursor.localMove(x, y), onLeave: () => cursor.localLeave() });
const wheel = new Wheel(canvas, queue);
const touch = new Touch(canvas, queue, wheel, { viewport, surface: screen, onMove: (x, y) => cursor.localMove(x, y), focus: focusInput });
for (const part of [queue, keyboard, fieldKeyboard, vkbd, pointer, wheel, touch]) {
    part.enabled = !params.viewOnly;
}
const stats = new Stats(document.getElementById('stats'), {
    framesPresented: () => display.framesPresented,
    ping: () => connection.ping(),
    quality: () => display.quality,
    lossyShare: () => display.lossyShare,
});
let source = { state: null, reason: null };
let embed = null;
let wasConnected = false;
let gone = null; // why the console is gone (removed, unknown), while it is

const actions = {
    ctrlAltDel: () => keyboard.sendCombination([Keys.ControlLeft, Keys.AltLeft, Keys.Delete]),
    toggleScale: () => setScale(viewport.mode === 'fit' ? 'off' : 'fit'),
    toggleKeyboard: () => vkbd.toggle(),
    toggleTouchpad: () => setTouchpad(!touch.touchpad),
    toggleFullscreen: () => (document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen()),
    screenshot: () => screenshot.download(canvas, consoleId),
    toggleStats: () => setStats(!stats.visible),
    typeText: (text) => connection.typeText(text),
};
const toolbar = new Toolbar({ enabled: params.toolbar, viewOnly: params.viewOnly, canvas, actions, focus: focusInput });
vkbd.addEventListener('change', ({ detail }) => {
    toolbar.setKeyboard(detail.open);
    embed?.post('keyboard', { open: detail.open });
});

// The clipboard: the panel shows what the server allows this viewer; a paste key in the console
// sets the guest's clipboard first (Keyboard.onPaste) only when the guest's clipboard takes text.
const clipboard = new ClipboardPanel({ send: (text) => connection.setClipboard(text) });
const clipboardCounts = { pastes: 0, guestTexts: 0, written: 0 };
async function pasteIntoGuest(text) {
    await connection.setClipboard(text);
    clipboardCounts.pastes++;
}
connection.addEventListener('clipboardstate', ({ detail }) => {
    clipboard.setState(detail);
    keyboard.onPaste = detail.toGuest && !params.viewOnly ? pasteIntoGuest : null;
    embed?.post('clipboardstate', { toGuest: Boolean(detail.toGuest), fromGuest: Boolean(detail.fromGuest), reason: detail.reason ?? null });
});
connection.addEventListener('clipboard', async ({ detail }) => {
    clipboardCounts.guestTexts++;
    embed?.post('clipboard', { text: detail.text, initial: Boolean(detail.initial) });
    if (await clipboard.guestCopied(detail.text, Boolean(detail.initial))) {
        clipboardCounts.written++;
    }
});
buildKeysPanel(document.getElementById('keys-panel'), (keys) => {
    keyboard.sendCombination(keys);
    toolbar.focusCanvas();
});

function setScale(mode) {
    viewport.mode = mode;
    toolbar.setScale(viewport.mode);
}

function setTouchpad(on) {
    touch.touchpad = on && !params.viewOnly;
    cursor.fallback = touch.touchpad;
    toolbar.setTouchpad(touch.touchpad);
}

/**
 * Zoom from the embedding parent: "fit", "1:1" (one frame pixel per device pixel), or a number of
 * CSS px per frame pixel, around frame pixel (x, y) (default: the frame point at the screen's centre).
 */
function setZoom(zoom, x, y) {
    if (zoom === 'fit' || zoom === '1:1' || zoom === 'off') {
        setScale(zoom === 'fit' ? 'fit' : 'off');
        return;
    }
    const scale = Number(zoom);
    if (!Number.isFinite(scale) || scale <= 0) {
        throw new Error('zoom must be "fit", "1:1" or a number of CSS pixels per frame pixel');
    }
    const box = screen.getBoundingClientRect();
    const cx = box.left + screen.clientWidth / 2, cy = box.top + screen.clientHeight / 2;
    const anchor = Number.isFinite(x) && Number.isFinite(y) ? { x, y } : null;
    viewport.zoomTo(scale, cx, cy, anchor);
}

let lastZoomMode = viewport.mode;
screen.addEventListener('layout', () => {
    if (viewport.mode !== lastZoomMode) {
        lastZoomMode = viewport.mode;
        toolbar.setScale(viewport.mode);
        embed?.post('zoom', { mode: viewport.mode, scale: viewport.scale });
    }
});

function setStats(on) {
    stats.visible = on;
    toolbar.setStats(on);
}

setScale(params.scale);
setStats(params.stats);
setTouchpad(params.touch === 'touchpad');
document.addEventListener('fullscreenchange', () => toolbar.setFullscreen(Boolean(document.fullscreenElement)));
screen.addEventListener('layout', () => cursor.layout());

/**
 * The console is not on the server (any more): the last picture fades under a notice, held keys
 * are let go, and the embedding parent hears it once (a "removed" event).
 */
function showGone(reason, removed) {
    if (gone === reason) {
        return;
    }
    gone = reason;
    keyboard.releaseAll();
    fieldKeyboard.releaseAll();
    cursor.clear();
    document.getElementById('gone-title').textContent = reason;
    document.getElementById('gone-hint').textContent = removed
        ? 'It was removed from the server; the connection is closed.'
        : 'The server has no console by this name.';
    goneOverlay.hidden = false;
    screen.dataset.gone = 'true';
    embed?.post('removed', { reason });
}

function clearGone() {
    gone = null;
    goneOverlay.hidden = true;
    delete screen.dataset.gone;
}

function showSource(state, reason) {
    if (state === 'removed') {
        showGone(reason ?? 'console removed', true);
    } else if (gone) {
        clearGone(); // joined again: the console is back
    }
    source = { state, reason: reason ?? null };
    status.setSource(source.state, source.reason);
    screen.dataset.live = String(connection.state === 'connected' && state === 'ready');
    if (state === 'invalid') {
        embed?.post('error', { message: reason ?? 'invalid region' });
    }
}

connection.addEventListener('statechange', ({ detail }) => {
    status.setConnection(detail.state, detail.retryAt, detail.error);
    screen.dataset.live = String(detail.state === 'connected' && source.state === 'ready');
    connectOverlay.hidden = detail.state !== 'stopped';
    if (detail.state === 'removed' || detail.state === 'unknown') {
        showGone(String(detail.error?.message ?? detail.state), detail.state === 'removed');
    }
    if (detail.state !== 'connected' && wasConnected) {
        wasConnected = false;
        keyboard.releaseAll();
        fieldKeyboard.releaseAll();
        cursor.clear();
        embed?.post('disconnected', { reason: detail.error ? String(detail.error.message ?? detail.error) : null });
    }
});
// A new connection: whatever was queued for the old one is void; a full frame follows the join.
connection.addEventListener('open', () => {
    display.reset();
    keyboard.onPaste = null; // until the server says what this connection's clipboard may do
});
connection.addEventListener('joined', ({ detail }) => {
    if (detail.width > 0 && detail.height > 0) {
        display.resize(detail.width, detail.height); // no size while the source waits: keep the last picture
    }
    showSource(detail.state, detail.reason);
    if (!wasConnected) {
        wasConnected = true;
        embed?.post('connected', { width: detail.width, height: detail.height, state: detail.state });
    }
});
connection.addEventListener('update', ({ detail }) => {
    stats.received(detail);
    display.enqueue(detail);
});
connection.addEventListener('resize', ({ detail }) => display.resize(detail.width, detail.height));
connection.addEventListener('sourcestate', ({ detail }) => showSource(detail.state, detail.reason));
connection.addEventListener('cursor', ({ detail }) => cursor.set(detail));

display.addEventListener('resize', ({ detail }) => {
    sizeLabel.textContent = `${detail.width} × ${detail.height}`;
    viewport.update();
    embed?.post('resized', { width: detail.width, height: detail.height });
});
// A rectangle that failed to decode leaves a hole until the next full update: ask for one.
display.addEventListener('decodeerror', ({ detail }) => {
    console.warn(`update ${detail.frameId}: ${detail.error}`);
    embed?.post('error', { message: `update ${detail.frameId} could not be drawn` });
    connection.rejoin();
});

window.addEventListener('online', () => connection.retryNow());
document.getElementById('btn-connect').addEventListener('click', () => {
    connectOverlay.hidden = true;
    connection.start();
    toolbar.focusCanvas();
});

/** Commands an embedding parent may send (see docs/embedding.md). */
const commands = {
    fullscreen: async ({ on = true }) => {
        if (on && !document.fullscreenElement) {
            await document.documentElement.requestFullscreen();
        } else if (!on && document.fullscreenElement) {
            await document.exitFullscreen();
        }
    },
    screenshot: async ({ download = false }) => {
        const blob = download ? await screenshot.download(canvas, consoleId) : await screenshot.capture(canvas);
        embed.post('screenshot', { blob, width: canvas.width, height: canvas.height, name: screenshot.fileName(consoleId) });
    },
    sendKeys: ({ keys }) => {
        if (params.viewOnly) {
            throw new Error('view only');
        }
        const codes = (Array.isArray(keys) ? keys : []).map((k) => (typeof k === 'number' ? k : evdevCode(String(k))));
        if (codes.length === 0 || codes.length > 16 || codes.some((c) => !Number.isInteger(c) || c <= 0)) {
            throw new Error('keys: 1 to 16 KeyboardEvent.code names (or evdev codes)');
        }
        keyboard.sendCombination(codes);
    },
    typeText: async ({ text }) => {
        if (params.viewOnly) {
            throw new Error('view only');
        }
        await connection.typeText(String(text ?? ''));
    },
    /** Sets the guest's clipboard; answers with a 'clipboardset' event (or an 'error'). */
    setClipboard: async ({ text }) => {
        if (params.viewOnly) {
            throw new Error('view only');
        }
        const value = String(text ?? '');
        await clipboard.sendText(value);
        embed.post('clipboardset', { bytes: new TextEncoder().encode(value).length });
    },
    /** Answers with a 'clipboard' event holding the guest's last text (null: none yet) and what the clipboard can do. */
    getClipboard: () => {
        embed.post('clipboard', { text: clipboard.guestText, initial: true, requested: true, ...clipboard.state });
    },
    setScale: ({ scale }) => {
        if (scale !== 'fit' && scale !== 'off') {
            throw new Error('scale must be "fit" or "off"');
        }
        setScale(scale);
    },
    connect: () => connection.start(),
    /** Opens (or closes) the on-screen keyboard's key row and field; answers with a 'keyboard' event. */
    keyboard: ({ open = true }) => {
        if (params.viewOnly) {
            throw new Error('view only');
        }
        if (open) {
            vkbd.show();
        } else {
            vkbd.hide();
        }
    },
    /** zoom: "fit", "1:1" or CSS px per frame pixel; x, y: the frame pixel to keep at the screen's centre. */
    setZoom: ({ zoom, x, y }) => {
        setZoom(zoom, x, y);
        embed.post('zoom', { mode: viewport.mode, scale: viewport.scale });
    },
};

async function loadClientConfig() {
    try {
        const response = await fetch(serverUrl('client-config'), { cache: 'no-store' });
        if (response.ok) {
            return await response.json();
        }
    } catch (error) {
        console.warn(`client config: ${error}`);
    }
    return { allowedOrigins: [] };
}

window.webConsole = Object.freeze(Object.defineProperties({}, {
    /** Connection state: "connecting", "connected", "reconnecting", "denied" (see status), "removed", "unknown", "stopped". */
    state: { get: () => connection.state, enumerable: true },
    /** The source's state as the server reports it: "ready", "waiting", "invalid", "idle", "removed". */
    sourceState: { get: () => source.state, enumerable: true },
    reason: { get: () => source.reason, enumerable: true },
    /** Why the console is gone ("console removed", "unknown console 'vm1'"), or null. */
    gone: { get: () => gone, enumerable: true },
    /** The text the status element shows. */
    status: { get: () => status.text, enumerable: true },
    frameId: { get: () => display.frameId, enumerable: true },
    framesPresented: { get: () => display.framesPresented, enumerable: true },
    width: { get: () => display.width, enumerable: true },
    height: { get: () => display.height, enumerable: true },
    scale: { get: () => viewport.mode, enumerable: true },
    /** Rectangles of the last presented update: [{ x, y, w, h, kind }]. */
    lastRects: { get: () => structuredClone(display.history.at(-1)?.rects ?? []), enumerable: true },
    /** The last presented updates, oldest first: [{ frameId, rects }]. */
    updates: { get: () => structuredClone(display.history), enumerable: true },
    /** Test hook: true stops acknowledging presented updates (they are still drawn). */
    pauseAcks: { get: () => display.pauseAcks, set: (value) => { display.pauseAcks = value; }, enumerable: true },
    /** The URL parameters as understood. */
    params: { get: () => ({ ...params }), enumerable: true },
    /** Input events handed to the connection so far. */
    inputSent: { get: () => queue.sent, enumerable: true },
    /** evdev codes of keys held down now. */
    keysHeld: { get: () => keyboard.held, enumerable: true },
    /** The guest cursor overlay: { known, visible, serial, hotX, hotY, width, height, x, y, shown, left, top, cssWidth, canvasCursor }. */
    cursor: { get: () => cursor.info, enumerable: true },
    toolbarHidden: { get: () => toolbar.hidden, enumerable: true },
    /** Toolbar buttons in the overflow menu now, by id. */
    toolbarOverflow: { get: () => toolbar.overflowed, enumerable: true },
    /** { mode: "fit" | "off" | "zoom", scale (CSS px per frame pixel), fitScale, scrollLeft, scrollTop } */
    zoom: {
        get: () => ({ mode: viewport.mode, scale: viewport.scale, fitScale: viewport.fitScale, scrollLeft: screen.scrollLeft, scrollTop: screen.scrollTop }),
        enumerable: true,
    },
    /** The on-screen keyboard: { open, focused, latched, backspaces, texts, characters, dropped, keys, lastError }. */
    keyboard: {
        get: () => ({ open: vkbd.open, focused: document.activeElement === vkbdInput, latched: vkbd.latched, ...vkbd.counts, lastError: vkbd.lastError }),
        enumerable: true,
    },
    /** Touch gestures seen: { touchpad, taps, doubleTaps, longPresses, pinches, pans, scrolls }. */
    touch: { get: () => ({ touchpad: touch.touchpad, ...touch.counts }), enumerable: true },
    /** { fps, rttMs, kbps, refreshKbps, refreshBytes, visible, quality, lossyShare, refreshes, text } */
    stats: {
        get: () => ({
            fps: stats.fps, rttMs: stats.rttMs, kbps: stats.kbps, refreshKbps: stats.refreshKbps, refreshBytes: stats.refreshBytes, visible: stats.visible,
            quality: stats.quality, lossyShare: stats.lossyShare, refreshes: display.refreshes, text: document.getElementById('stats').textContent,
        }),
        enumerable: true,
    },
    /** The embedding parent messages go to (null: not embedded or not allowed), and commands taken. */
    embedParent: { get: () => embed?.parentOrigin ?? null, enumerable: true },
    embedCommands: { get: () => embed?.received ?? 0, enumerable: true },
    /** The clipboard: { toGuest, fromGuest, reason, maxBytes, guestText, note, pastes, guestTexts, written, pasting }. */
    clipboard: {
        get: () => ({ ...clipboard.state, guestText: clipboard.guestText, note: clipboard.note, ...clipboardCounts, pasting: keyboard.pasting }),
        enumerable: true,
    },
}));

loadClientConfig().then((config) => {
    embed = new EmbedApi(consoleId, config.allowedOrigins ?? [], commands);
    embed.post('ready', { state: connection.state });
    if (wasConnected) {
        embed.post('connected', { width: display.width, height: display.height, state: source.state });
        const { toGuest, fromGuest, reason } = clipboard.state;
        embed.post('clipboardstate', { toGuest, fromGuest, reason });
    }
    if (gone) {
        embed.post('removed', { reason: gone });
    }
});

if (unknownAtLoad) {
    connection.setUnknown(`unknown console '${consoleId}'`);
} else if (params.autoconnect) {
    connection.start();
} else {
    status.setConnection('stopped');
    connectOverlay.hidden = false;
}
toolbar.focusCanvas();
