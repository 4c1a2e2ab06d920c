/**
 * Rectangle kinds of an "Update" message, as the server numbers them.
 * Each kind has one decoder (see decoders/).
 */
export const RectKind = Object.freeze({
    solid: 0,
    png: 1,
    jpeg: 2,
});
