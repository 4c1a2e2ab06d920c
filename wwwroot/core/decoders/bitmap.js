/**
 * Decodes a compressed image rectangle off the main thread with createImageBitmap.
 * Colour space conversion is off: the server sends sRGB pixels and the canvas must get
 * the very bytes it sent (lossless kinds are checked exactly).
 */
export default class BitmapDecoder {
    constructor(type) {
        this._type = type;
    }

    async decode(rect) {
        const blob = new Blob([rect.data], { type: this._type });
        const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none' });
        if (bitmap.width !== rect.w || bitmap.height !== rect.h) {
            const size = `${bitmap.width}x${bitmap.height}`;
            bitmap.close();
            throw new Error(`${this._type} of ${size} for a ${rect.w}x${rect.h} rectangle`);
        }
        return {
            draw(ctx) {
                ctx.drawImage(bitmap, rect.x, rect.y);
            },
            release() {
                bitmap.close();
            },
        };
    }
}
