import { createImageDecoder } from './codec.js';

/** Kind 1: a PNG of the rectangle (lossless: text, UI, few colours). */
export default function createPngDecoder() {
    return createImageDecoder('image/png');
}
