import { createImageDecoder } from './codec.js';

/** Kind 2: a JPEG of the rectangle (lossy: photos, video, gradients). */
export default function createJpegDecoder() {
    return createImageDecoder('image/jpeg');
}
