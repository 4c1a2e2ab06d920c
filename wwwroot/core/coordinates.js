/**
 * Frame pixel under a client (CSS) position over the canvas, whatever the scale (fit, 1:1,
 * HiDPI): the canvas backing store is the frame, its CSS box is what the user sees. Clamped.
 */
export function frameCoordinates(canvas, clientX, clientY) {
    const rect = canvas.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0 || canvas.width === 0 || canvas.height === 0) {
        return null;
    }
    const x = Math.floor((clientX - rect.left) * canvas.width / rect.width);
    const y = Math.floor((clientY - rect.top) * canvas.height / rect.height);
    return {
        x: Math.min(canvas.width - 1, Math.max(0, x)),
        y: Math.min(canvas.height - 1, Math.max(0, y)),
    };
}
