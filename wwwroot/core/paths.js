/**
 * Where the server's pages, API and hub are, seen from the browser: relative to this module, so
 * the page works the same at the server's root and under a proxy's prefix (`/h/host1/...`,
 * docs/deployment.md). `serverUrl('api/consoles')` is `<prefix>/api/consoles`.
 */
const root = new URL('../', import.meta.url);

export function serverUrl(path) {
    return new URL(path, root).href;
}
