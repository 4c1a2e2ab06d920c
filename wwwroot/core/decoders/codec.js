import BitmapDecoder from './bitmap.js';
import ImageDecoderDecoder from './image-decoder.js';

/**
 * Which browser API decodes PNG and JPEG rectangles: WebCodecs' ImageDecoder where the page
 * runs in a secure context (faster), createImageBitmap elsewhere. `?decoder=bitmap` forces the
 * fallback (for comparisons in the benchmark). The choice is shown on the page's root element as
 * `data-image-decoder` ("ImageDecoder" or "createImageBitmap"), for the stats and the tests.
 */
export function createImageDecoder(type, preference = new URLSearchParams(globalThis.location?.search ?? '').get('decoder')) {
    const webCodecs = preference !== 'bitmap' && ImageDecoderDecoder.supported;
    if (globalThis.document?.documentElement) {
        globalThis.document.documentElement.dataset.imageDecoder = webCodecs ? 'ImageDecoder' : 'createImageBitmap';
    }
    return webCodecs ? new ImageDecoderDecoder(type) : new BitmapDecoder(type);
}
