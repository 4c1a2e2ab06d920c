import BitmapDecoder from './bitmap.js';

/** Kind 1: a PNG of the rectangle (lossless: text, UI, few colours). */
export default class PngDecoder extends BitmapDecoder {
    constructor() {
        super('image/png');
    }
}
