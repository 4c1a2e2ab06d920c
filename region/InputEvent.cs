using System.Buffers.Binary;

namespace WebConsole.Region;

/// <summary>One 16-byte entry of the input ring, written by the consumer and drained by the producer.</summary>
public readonly record struct InputEvent(InputEventType Type, ushort Code, uint Value, int X, int Y)
{
    public const uint ButtonLeft = 0x1, ButtonMiddle = 0x2, ButtonRight = 0x4, ButtonBack = 0x8, ButtonForward = 0x10;

    public static InputEvent Key(ushort evdevCode, bool down) => new(InputEventType.Key, evdevCode, down ? 1u : 0u, 0, 0);

    public static InputEvent Pointer(int x, int y, uint buttons) => new(InputEventType.Pointer, 0, buttons, x, y);

    public static InputEvent Wheel(int dx, int dy) => new(InputEventType.Wheel, 0, 0, dx, dy);

    public void Write(Span<byte> dest)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(dest, (ushort)Type);
        BinaryPrimitives.WriteUInt16LittleEndian(dest[2..], Code);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[4..], Value);
        BinaryPrimitives.WriteInt32LittleEndian(dest[8..], X);
        BinaryPrimitives.WriteInt32LittleEndian(dest[12..], Y);
    }

    public static InputEvent Read(ReadOnlySpan<byte> src) => new(
        (InputEventType)BinaryPrimitives.ReadUInt16LittleEndian(src),
        BinaryPrimitives.ReadUInt16LittleEndian(src[2..]),
        BinaryPrimitives.ReadUInt32LittleEndian(src[4..]),
        BinaryPrimitives.ReadInt32LittleEndian(src[8..]),
        BinaryPrimitives.ReadInt32LittleEndian(src[12..]));
}
