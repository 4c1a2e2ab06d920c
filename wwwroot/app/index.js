import ConsoleList from './console-list.js';

// The page glue of /: the list of consoles, refreshed every 2 s.

new ConsoleList(document.getElementById('consoles'), {
    empty: document.getElementById('empty'),
    status: document.getElementById('list-status'),
    summary: document.getElementById('summary'),
}).start();
