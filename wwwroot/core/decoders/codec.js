import BitmapDecoder from './bitmap.js';
import ImageDecoderDecoder from './image-decoder.js';

/**
 * Which browser API decodes PNG and JPEG rectangles: WebCodecs' ImageDecoder where the page
 * runs in a secure context (faster), createImageBitmap elsewhere. `?decoder=bitmap` forces the
 * fallback (for comparisons in the benchmark).
 */
export function createImageDecoder(type, preference = new URLSearchParams(globalThis.location?.search ?? '').get('decoder')) {
    if (preference !== 'bitmap' && ImageDecoderDecoder.supported) {
        return new ImageDecoderDecoder(type);
    }
    return new BitmapDecoder(type);
}
