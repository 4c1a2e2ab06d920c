/**
 * SignalR's MessagePack hub protocol, reading each message in place. The stock protocol copies
 * every message out of the WebSocket's buffer before decoding it (BinaryMessageFormat.parse uses
 * slice), which for a full-screen update is another megabyte of fresh memory per update; here the
 * messages are views of that buffer, so the rectangles' bytes reach the image decoders uncopied.
 * Everything else (framing rules, errors, writing) is SignalR's own.
 */
const MAX_PREFIX = 5;

/** A MessagePackHubProtocol whose parseMessages does not copy; the stock one where its internals differ. */
export function createHubProtocol(signalR) {
    const Base = signalR.protocols.msgpack.MessagePackHubProtocol;
    const protocol = new Base();
    if (typeof protocol._parseMessage !== 'function') {
        return protocol; // another SignalR version: keep its own parser
    }
    protocol.parseMessages = function parseMessages(input, logger) {
        if (!(input instanceof ArrayBuffer)) {
            return Base.prototype.parseMessages.call(this, input, logger);
        }
        logger ??= signalR.NullLogger.instance;
        const messages = [];
        for (const message of splitMessages(new Uint8Array(input))) {
            const parsed = this._parseMessage(message, logger);
            if (parsed) {
                messages.push(parsed); // null for a message type this client does not know (logged)
            }
        }
        return messages;
    };
    return protocol;
}

/** The length-prefixed messages in `bytes` as views (SignalR's binary framing: a VarInt size, then the message). */
export function splitMessages(bytes) {
    const messages = [];
    for (let offset = 0; offset < bytes.length;) {
        let size = 0, prefix = 0, byte;
        do {
            byte = bytes[offset + prefix];
            size |= (byte & 0x7f) << (7 * prefix);
            prefix++;
        } while (prefix < Math.min(MAX_PREFIX, bytes.length - offset) && (byte & 0x80) !== 0);
        if ((byte & 0x80) !== 0 && prefix < MAX_PREFIX) {
            throw new Error('Cannot read message size.');
        }
        if (prefix === MAX_PREFIX && byte > 7) {
            throw new Error('Messages bigger than 2GB are not supported.');
        }
        size >>>= 0;
        if (bytes.length < offset + prefix + size) {
            throw new Error('Incomplete message.');
        }
        messages.push(bytes.subarray(offset + prefix, offset + prefix + size));
        offset += prefix + size;
    }
    return messages;
}
