/** The canvas as a PNG Blob (the frame at its own size, whatever the on-screen scale). */
export function capture(canvas) {
    return new Promise((resolve, reject) => {
        canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('nothing on screen yet'))), 'image/png');
    });
}

/** <console>-<UTC timestamp>.png, safe as a file name. */
export function fileName(consoleId, date = new Date()) {
    const stamp = date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
    return `${consoleId}-${stamp}.png`;
}

/** Offers the picture as a download. */
export async function download(canvas, consoleId) {
    const blob = await capture(canvas);
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName(consoleId);
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    return blob;
}
