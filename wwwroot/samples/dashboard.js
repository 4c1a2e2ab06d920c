import ConsoleSetWatcher from '../app/console-set-watcher.js';

// A dashboard that embeds consoles in iframes and talks to them with postMessage
// (docs/embedding.md). Messages are sent to the console server's exact origin, never '*',
// and only messages from that origin and from one of our iframes are believed.
//
// ?consoles=a,b embeds those. Without it the dashboard shows the live console set: it lists
// /api/consoles of its own origin (the dashboard's backend; here the console server itself, in
// local mode) and follows /api/consoles/changes, adding a frame for a console that comes and
// dropping the frame of one that goes.

const MAX_FRAMES = 8;
const params = new URLSearchParams(location.search);
// The console server's root (?base=https://host/h/host1/ under a proxy's prefix); by default the
// server this sample is served from.
const base = new URL(params.get('base')?.replace(/\/?$/, '/') ?? new URL('../', location.href));
const consoleOrigin = base.origin;
const fixed = params.has('consoles') ? params.get('consoles').split(',').filter(Boolean).slice(0, MAX_FRAMES) : null;
const log = document.getElementById('log');
const list = document.getElementById('consoles');
const note = document.getElementById('note');
const frames = new Map(); // id -> iframe
const events = [];

function add(id) {
    const section = document.createElement('section');
    section.className = 'console';
    section.dataset.id = id;
    section.innerHTML = `<header><span class="name"></span><span class="state">…</span>
        <button data-command="setScale" data-scale="fit">Fit</button>
        <button data-command="setScale" data-scale="off">1:1</button>
        <button data-command="sendKeys">Ctrl+Alt+Del</button>
        <button data-command="keyboard">Keyboard</button>
        <button data-command="screenshot">Screenshot</button>
        <button data-command="fullscreen">Full screen</button></header>
        <iframe allow="fullscreen; clipboard-read; clipboard-write"></iframe>`;
    section.querySelector('.name').textContent = id;
    const iframe = section.querySelector('iframe');
    iframe.title = `console ${id}`;
    iframe.src = new URL(`console/${encodeURIComponent(id)}?toolbar=0`, base).href;
    frames.set(id, iframe);
    section.querySelector('header').addEventListener('click', (e) => {
        const command = e.target.dataset?.command;
        if (command === 'setScale') send(id, { command, scale: e.target.dataset.scale });
        else if (command === 'sendKeys') send(id, { command, keys: ['ControlLeft', 'AltLeft', 'Delete'] });
        else if (command === 'keyboard') send(id, { command, open: true });
        else if (command === 'screenshot') send(id, { command, download: true });
        else if (command === 'fullscreen') iframe.requestFullscreen(); // the parent has the click, so it can
    });
    // Keep the server's order (ids sorted).
    const after = [...list.children].find((s) => s.dataset.id > id) ?? null;
    list.insertBefore(section, after);
}

function remove(id) {
    frames.get(id)?.closest('.console').remove();
    frames.delete(id);
}

/** Makes the frames match the live set: new consoles get one, gone ones lose theirs. */
async function follow() {
    const response = await fetch(new URL('../api/consoles', location.href), { cache: 'no-store' });
    if (!response.ok) {
        note.textContent = `cannot list the consoles: HTTP ${response.status}`;
        return;
    }
    const ids = (await response.json()).map((c) => c.id);
    const shown = ids.slice(0, MAX_FRAMES);
    for (const id of [...frames.keys()]) {
        if (!shown.includes(id)) remove(id);
    }
    for (const id of shown) {
        if (!frames.has(id)) add(id);
    }
    note.textContent = ids.length === 0 ? 'No consoles.'
        : ids.length > shown.length ? `${ids.length} consoles; the first ${shown.length} are shown.` : `${ids.length} console${ids.length === 1 ? '' : 's'}, following the live set.`;
}

/** Sends a command to console id. */
function send(id, message) {
    frames.get(id)?.contentWindow.postMessage({ type: 'webconsole', version: 1, ...message }, consoleOrigin);
}

window.addEventListener('message', (e) => {
    const data = e.data;
    if (e.origin !== consoleOrigin || data?.type !== 'webconsole' || ![...frames.values()].some((f) => f.contentWindow === e.source)) {
        return;
    }
    events.push({ ...data, blob: data.blob ? { size: data.blob.size, type: data.blob.type } : undefined });
    const state = frames.get(data.console)?.closest('.console').querySelector('.state');
    if (state && ['connected', 'disconnected', 'resized', 'error', 'removed'].includes(data.event)) {
        state.textContent = data.event === 'resized' ? `${data.width} × ${data.height}` : data.event === 'removed' ? data.reason : data.event;
    }
    log.textContent += `${data.console}: ${data.event} ${JSON.stringify({ ...data, type: undefined, version: undefined, console: undefined, event: undefined, blob: undefined })}\n`;
});

if (fixed) {
    fixed.forEach(add);
    note.hidden = true;
} else {
    new ConsoleSetWatcher({
        onChange: follow,
        onDenied: (status) => { note.textContent = `the console list needs an API key (HTTP ${status}): a real dashboard lists through its backend; pass ?consoles=a,b`; },
        onError: (error) => { note.textContent = `cannot reach the server (${error.message})`; },
    }).start();
}

// For scripts and tests driving the sample.
window.dashboard = { events, send, consoleOrigin, get consoles() { return [...frames.keys()].sort(); } };
