import ConsoleList from './console-list.js';

// The page glue of /: the list of consoles, following the set as consoles come and go.

const list = new ConsoleList(document.getElementById('consoles'), {
    empty: document.getElementById('empty'),
    status: document.getElementById('list-status'),
    summary: document.getElementById('summary'),
});
list.start();

// For tests and diagnostics: the console set's version the list follows.
window.consoleList = Object.freeze({ get version() { return list.version; } });
