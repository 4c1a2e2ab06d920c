using WebConsole.Region;

namespace WebConsole.Encoding;

/// <summary>One encoded rectangle of an update.</summary>
/// <remarks>
/// <see cref="Buffer"/> is rented from <see cref="System.Buffers.ArrayPool{T}.Shared"/> and owned
/// by the <see cref="EncodedUpdate"/> holding this rectangle; only the first <see cref="Length"/>
/// bytes are the payload.
/// </remarks>
public readonly record struct EncodedRect(PixelRect Rect, RectKind Kind, byte[] Buffer, int Length)
{
    /// <summary>The payload: R, G, B for <see cref="RectKind.Solid"/>, else a PNG or JPEG file.</summary>
    public ReadOnlyMemory<byte> Data => new(Buffer, 0, Length);
}
