import BitmapDecoder from './bitmap.js';

/** Kind 2: a JPEG of the rectangle (lossy: photos, video, gradients). */
export default class JpegDecoder extends BitmapDecoder {
    constructor() {
        super('image/jpeg');
    }
}
