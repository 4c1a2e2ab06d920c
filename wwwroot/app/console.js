import Connection from '../core/connection.js';
import Display from '../core/display.js';
import Viewport from '../core/viewport.js';
import StatusView from './status-view.js';

// The page glue of /console/{id}: wires the connection to the display, the viewport and
// the status element, and publishes the read-only window.webConsole hook for tests.

const consoleId = decodeURIComponent(location.pathname.replace(/\/+$/, '').split('/').pop() ?? '');
const params = new URLSearchParams(location.search);
const scale = params.get('scale') === 'off' ? 'off' : 'fit';

const screen = document.getElementById('screen');
const canvas = document.getElementById('canvas');
const status = new StatusView(document.getElementById('status'));
const sizeLabel = document.getElementById('console-size');
document.getElementById('console-name').textContent = consoleId;
document.title = `${consoleId} · WebConsole`;

const scaleLink = document.getElementById('scale-toggle');
scaleLink.textContent = scale === 'off' ? 'fit to window' : '1:1 pixels';
scaleLink.href = `?scale=${scale === 'off' ? 'fit' : 'off'}`;

// An access ticket comes in the fragment (#ticket=...), never sent to a server or kept in history;
// the embedding page hands over a new one by changing the fragment again.
function takeTicket() {
    const ticket = new URLSearchParams(location.hash.slice(1)).get('ticket');
    if (ticket) {
        history.replaceState(history.state, '', location.pathname + location.search);
    }
    return ticket;
}

const connection = new Connection(consoleId, { ticket: takeTicket() });
window.addEventListener('hashchange', () => {
    const ticket = takeTicket();
    if (ticket) {
        connection.setTicket(ticket);
    }
});
const display = new Display(canvas, { ack: (frameId) => connection.ack(frameId) });
const viewport = new Viewport(screen, canvas, scale);
let source = { state: null, reason: null };

function showSource(state, reason) {
    source = { state, reason: reason ?? null };
    status.setSource(source.state, source.reason);
    screen.dataset.live = String(connection.state === 'connected' && state === 'ready');
}

connection.addEventListener('statechange', ({ detail }) => {
    status.setConnection(detail.state, detail.retryAt, detail.error);
    screen.dataset.live = String(detail.state === 'connected' && source.state === 'ready');
});
// A new connection: whatever was queued for the old one is void; a full frame follows the join.
connection.addEventListener('open', () => display.reset());
connection.addEventListener('joined', ({ detail }) => {
    if (detail.width > 0 && detail.height > 0) {
        display.resize(detail.width, detail.height); // no size while the source waits: keep the last picture
    }
    showSource(detail.state, detail.reason);
});
connection.addEventListener('update', ({ detail }) => display.enqueue(detail));
connection.addEventListener('resize', ({ detail }) => display.resize(detail.width, detail.height));
connection.addEventListener('sourcestate', ({ detail }) => showSource(detail.state, detail.reason));

display.addEventListener('resize', ({ detail }) => {
    sizeLabel.textContent = `${detail.width} × ${detail.height}`;
    viewport.update();
});
// A rectangle that failed to decode leaves a hole until the next full update: ask for one.
display.addEventListener('decodeerror', ({ detail }) => {
    console.warn(`update ${detail.frameId}: ${detail.error}`);
    connection.rejoin();
});

window.addEventListener('online', () => connection.retryNow());

window.webConsole = Object.freeze(Object.defineProperties({}, {
    /** Connection state: "connecting", "connected", "reconnecting", "denied" (see status), "stopped". */
    state: { get: () => connection.state, enumerable: true },
    /** The source's state as the server reports it: "ready", "waiting", "invalid", "idle". */
    sourceState: { get: () => source.state, enumerable: true },
    reason: { get: () => source.reason, enumerable: true },
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
}));

connection.start();
