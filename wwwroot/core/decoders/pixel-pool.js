/**
 * Reusable RGBA buffers for decoded rectangles. Memory a page touches for the first time costs a
 * page fault per 4 KB, and on virtual machines such as the one the benchmarks run on a fault costs
 * about 11 us (50 times a bare-metal fault): a fresh 3.7 MB of RGBA per 720p update alone took
 * about 10 ms. Buffers come in power-of-two sizes and go back to the pool once drawn, so a
 * steady stream of updates touches only memory it has touched before.
 */
const MIN_CLASS = 12; // 4 KB
const MAX_CLASS = 20; // 1 MB: the server sends rectangles of at most 512x512; larger ones are not pooled
const PER_CLASS = 16; // at most about 32 MB kept in all (four 1080p frames of RGBA)

export default class PixelPool {
    constructor() {
        this._free = new Map();
    }

    /** A Uint8ClampedArray of exactly `bytes` bytes (a view of a pooled buffer). */
    acquire(bytes) {
        const size = PixelPool._classOf(bytes);
        if (size === 0) {
            return new Uint8ClampedArray(bytes);
        }
        const free = this._free.get(size);
        const buffer = free?.pop() ?? new ArrayBuffer(size);
        return new Uint8ClampedArray(buffer, 0, bytes);
    }

    /** Gives back an array from acquire(); its contents may be reused at once. */
    release(array) {
        const buffer = array.buffer;
        const size = buffer.byteLength;
        if (PixelPool._classOf(size) !== size) {
            return;
        }
        let free = this._free.get(size);
        if (!free) {
            free = [];
            this._free.set(size, free);
        }
        if (free.length < PER_CLASS) {
            free.push(buffer);
        }
    }

    /** The pooled buffer size for `bytes`, or 0 when such a buffer is not pooled. */
    static _classOf(bytes) {
        for (let shift = MIN_CLASS; shift <= MAX_CLASS; shift++) {
            if (bytes <= 2 ** shift) {
                return 2 ** shift;
            }
        }
        return 0;
    }
}

/** The pool shared by the page's decoders. */
export const pixelPool = new PixelPool();
