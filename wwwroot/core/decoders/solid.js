/**
 * Kind 0: a rectangle of one colour; data holds R, G, B.
 *
 * Decoder interface (shared by every decoder): decode(rect) returns a promise of a
 * drawable, { draw(ctx), release() }. draw paints the rectangle at its place on the
 * canvas context; release frees what decoding held, drawn or not.
 */
export default class SolidDecoder {
    decode(rect) {
        const data = rect.data;
        if (!data || data.length < 3) {
            return Promise.reject(new Error(`solid rectangle with ${data ? data.length : 0} colour bytes`));
        }
        const colour = `rgb(${data[0]} ${data[1]} ${data[2]})`;
        return Promise.resolve({
            draw(ctx) {
                ctx.fillStyle = colour;
                ctx.fillRect(rect.x, rect.y, rect.w, rect.h);
            },
            release() {},
        });
    }
}
