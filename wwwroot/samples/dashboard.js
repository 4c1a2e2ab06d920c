// A dashboard that embeds consoles in iframes and talks to them with postMessage
// (docs/embedding.md). Messages are sent to the console server's exact origin, never '*',
// and only messages from that origin and from one of our iframes are believed.

const params = new URLSearchParams(location.search);
const base = new URL(params.get('base') ?? location.origin);
const consoleOrigin = base.origin;
const ids = (params.get('consoles') ?? 'demo').split(',').filter(Boolean).slice(0, 4);
const log = document.getElementById('log');
const frames = new Map(); // id -> iframe
const events = [];

for (const id of ids) {
    const section = document.createElement('section');
    section.className = 'console';
    section.innerHTML = `<header><span class="name"></span><span class="state">…</span>
        <button data-command="setScale" data-scale="fit">Fit</button>
        <button data-command="setScale" data-scale="off">1:1</button>
        <button data-command="sendKeys">Ctrl+Alt+Del</button>
        <button data-command="screenshot">Screenshot</button>
        <button data-command="fullscreen">Full screen</button></header>
        <iframe allow="fullscreen; clipboard-write" title="console ${id}"></iframe>`;
    section.querySelector('.name').textContent = id;
    const iframe = section.querySelector('iframe');
    iframe.src = new URL(`/console/${encodeURIComponent(id)}?toolbar=0`, base).href;
    frames.set(id, iframe);
    section.querySelector('header').addEventListener('click', (e) => {
        const command = e.target.dataset?.command;
        if (command === 'setScale') send(id, { command, scale: e.target.dataset.scale });
        else if (command === 'sendKeys') send(id, { command, keys: ['ControlLeft', 'AltLeft', 'Delete'] });
        else if (command === 'screenshot') send(id, { command, download: true });
        else if (command === 'fullscreen') iframe.requestFullscreen(); // the parent has the click, so it can
    });
    document.getElementById('consoles').appendChild(section);
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
    if (state && ['connected', 'disconnected', 'resized', 'error'].includes(data.event)) {
        state.textContent = data.event === 'resized' ? `${data.width} × ${data.height}` : data.event;
    }
    log.textContent += `${data.console}: ${data.event} ${JSON.stringify({ ...data, type: undefined, version: undefined, console: undefined, event: undefined, blob: undefined })}\n`;
});

// For scripts and tests driving the sample.
window.dashboard = { events, send, consoleOrigin };
