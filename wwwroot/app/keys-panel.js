import { Keys } from '../core/keymap.js';

const KEY_F1 = 59, KEY_F2 = 60, KEY_F7 = 65, KEY_SPACE = 57, KEY_W = 17, KEY_T = 20, KEY_N = 49;

/** Combinations a browser (or the local desktop) keeps for itself, each sent as presses then releases. */
export const COMBINATIONS = Object.freeze([
    { label: 'Esc', keys: [Keys.Escape] },
    { label: 'Tab', keys: [Keys.Tab] },
    { label: 'Alt+Tab', keys: [Keys.AltLeft, Keys.Tab] },
    { label: 'Alt+F4', keys: [Keys.AltLeft, Keys.F4] },
    { label: 'Ctrl+W', keys: [Keys.ControlLeft, KEY_W] },
    { label: 'Ctrl+T', keys: [Keys.ControlLeft, KEY_T] },
    { label: 'Ctrl+N', keys: [Keys.ControlLeft, KEY_N] },
    { label: 'Super', keys: [Keys.MetaLeft] },
    { label: 'Alt+Space', keys: [Keys.AltLeft, KEY_SPACE] },
    { label: 'F11', keys: [Keys.F11] },
    { label: 'F12', keys: [Keys.F12] },
    { label: 'PrtSc', keys: [Keys.PrintScreen] },
    { label: 'Ctrl+Alt+Backspace', keys: [Keys.ControlLeft, Keys.AltLeft, Keys.Backspace] },
    { label: 'Ctrl+Alt+F1', keys: [Keys.ControlLeft, Keys.AltLeft, KEY_F1] },
    { label: 'Ctrl+Alt+F2', keys: [Keys.ControlLeft, Keys.AltLeft, KEY_F2] },
    { label: 'Ctrl+Alt+F7', keys: [Keys.ControlLeft, Keys.AltLeft, KEY_F7] },
]);

/** Fills the extra-keys panel with one button per combination; send(keys) delivers one. */
export function buildKeysPanel(panel, send) {
    for (const combination of COMBINATIONS) {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = combination.label;
        button.title = `Send ${combination.label}`;
        button.dataset.keys = combination.keys.join(',');
        button.addEventListener('click', () => send(combination.keys));
        panel.appendChild(button);
    }
}
