/**
 * The console page's URL parameters, noVNC style (see docs/embedding.md):
 *   scale=fit|off      fit the window (default) or 1:1 device pixels
 *   view_only=1        watch only: no keyboard, pointer or typing
 *   toolbar=0          no toolbar at all (an embedding page provides its own controls)
 *   reconnect=0|1      reconnect by itself after a lost connection (default 1)
 *   reconnect_delay=ms shortest wait before reconnecting (default 500, 100..60000)
 *   autoconnect=0      wait for a Connect click (or a "connect" command) instead of connecting at once
 *   stats=1            show the statistics overlay from the start
 *   present=frame      draw updates only at animation frames (default: as soon as decoded when idle)
 *   touch=touchpad     touch moves a pointer like a touchpad (default "direct": touch points at the guest)
 * The URL fragment is not read here (it may carry a ticket).
 */
export default function readParams(search = location.search) {
    const p = new URLSearchParams(search);
    const flag = (name, fallback) => {
        const value = p.get(name);
        if (value === null) {
            return fallback;
        }
        return !['0', 'false', 'no', 'off'].includes(value.trim().toLowerCase());
    };
    const delay = Number.parseInt(p.get('reconnect_delay') ?? '', 10);
    return Object.freeze({
        scale: p.get('scale') === 'off' ? 'off' : 'fit',
        viewOnly: flag('view_only', false),
        toolbar: flag('toolbar', true),
        reconnect: flag('reconnect', true),
        reconnectDelayMs: Number.isFinite(delay) ? Math.min(60000, Math.max(100, delay)) : 500,
        autoconnect: flag('autoconnect', true),
        stats: flag('stats', false),
        present: p.get('present') === 'frame' ? 'frame' : 'decoded',
        touch: p.get('touch') === 'touchpad' ? 'touchpad' : 'direct',
    });
}
