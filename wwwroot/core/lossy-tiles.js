import { RectKind } from './encodings.js';

const TILE = 64;

/**
 * Which 64x64 tiles of the canvas show JPEG pixels the server has not yet repainted losslessly
 * (the server's own per-viewer bookkeeping, mirrored from what this page drew): a JPEG rectangle
 * marks the tiles it touches, a solid or PNG one clears the tiles it covers whole.
 */
export default class LossyTiles {
    constructor() {
        this._columns = 0;
        this._rows = 0;
        this._width = 0;
        this._height = 0;
        this._tiles = new Uint8Array(0);
        this._count = 0;
    }

    get width() { return this._width; }

    get height() { return this._height; }

    /** Share of the tiles waiting for a lossless refresh, 0 to 1. */
    get share() { return this._tiles.length === 0 ? 0 : this._count / this._tiles.length; }

    resize(width, height) {
        this._width = width;
        this._height = height;
        this._columns = Math.ceil(width / TILE);
        this._rows = Math.ceil(height / TILE);
        this._tiles = new Uint8Array(this._columns * this._rows);
        this._count = 0;
    }

    apply(rects) {
        for (const { x, y, w, h, kind } of rects) {
            if (kind === RectKind.jpeg) {
                this._set(Math.floor(x / TILE), Math.floor(y / TILE), Math.ceil((x + w) / TILE), Math.ceil((y + h) / TILE), 1);
            } else {
                const right = x + w >= this._width ? this._columns : Math.floor((x + w) / TILE);
                const bottom = y + h >= this._height ? this._rows : Math.floor((y + h) / TILE);
                this._set(Math.ceil(x / TILE), Math.ceil(y / TILE), right, bottom, 0);
            }
        }
    }

    _set(x0, y0, x1, y1, value) {
        for (let ty = Math.max(0, y0); ty < Math.min(y1, this._rows); ty++) {
            for (let tx = Math.max(0, x0); tx < Math.min(x1, this._columns); tx++) {
                const i = ty * this._columns + tx;
                if (this._tiles[i] !== value) {
                    this._tiles[i] = value;
                    this._count += value ? 1 : -1;
                }
            }
        }
    }
}
