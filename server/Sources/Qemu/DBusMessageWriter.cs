using System.Buffers.Binary;

namespace WebConsole.Sources.Qemu;

/// <summary>
/// Builds little-endian D-Bus messages into one reusable buffer: a header (method call, return or
/// error), then body values with their alignment. <see cref="Finish"/> fills in the lengths.
/// </summary>
internal sealed class DBusMessageWriter
{
    public const byte FlagNoReplyExpected = 0x1;

    private byte[] _buffer = new byte[512];
    private int _length;
    private int _bodyStart;

    public void BeginMethodCall(uint serial, string? destination, string path, string @interface, string member,
        string signature, bool noReply, uint fds = 0)
    {
        Begin(DBusMessageType.MethodCall, noReply ? FlagNoReplyExpected : (byte)0, serial);
        Field(1, 'o', path);
        Field(2, 's', @interface);
        Field(3, 's', member);
        if (destination is not null)
        {
            Field(6, 's', destination);
        }
        EndHeader(signature, fds);
    }

    /// <summary>A method return; on a bus <paramref name="destination"/> (the caller's unique name) routes it.</summary>
    public void BeginReturn(uint serial, uint replySerial, string signature, string? destination = null)
    {
        Begin(DBusMessageType.MethodReturn, FlagNoReplyExpected, serial);
        ReplySerialField(replySerial);
        if (destination is not null)
        {
            Field(6, 's', destination);
        }
        EndHeader(signature, 0);
    }

    /// <summary>An error reply whose body is <paramref name="text"/>.</summary>
    public void WriteError(uint serial, uint replySerial, string errorName, string text, string? destination = null)
    {
        Begin(DBusMessageType.Error, FlagNoReplyExpected, serial);
        Field(4, 's', errorName);
        ReplySerialField(replySerial);
        if (destination is not null)
        {
            Field(6, 's', destination);
        }
        EndHeader("s", 0);
        WriteString(text);
    }

    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    public void WriteBoolean(bool value) => WriteUInt32(value ? 1u : 0u);

    public void WriteUInt32(uint value)
    {
        Align(4);
        Ensure(4);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    public void WriteInt32(int value) => WriteUInt32(unchecked((uint)value));

    public void WriteString(string value)
    {
        int count = System.Text.Encoding.UTF8.GetByteCount(value);
        WriteUInt32((uint)count);
        Ensure(count + 1);
        System.Text.Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
        _length += count;
        _buffer[_length++] = 0;
    }

    public void WriteSignature(string value)
    {
        Ensure(value.Length + 2);
        _buffer[_length++] = (byte)value.Length;
        System.Text.Encoding.ASCII.GetBytes(value, _buffer.AsSpan(_length));
        _length += value.Length;
        _buffer[_length++] = 0;
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteUInt32((uint)value.Length);
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
    }

    /// <summary>Starts an array; returns the mark <see cref="EndArray"/> needs.</summary>
    public int BeginArray(int elementAlignment)
    {
        WriteUInt32(0);
        int lengthAt = _length - 4;
        Align(elementAlignment);
        return (lengthAt << 4) | (_length - lengthAt - 4);
    }

    public void EndArray(int mark)
    {
        int lengthAt = mark >> 4, padding = mark & 0xF;
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(lengthAt), (uint)(_length - lengthAt - 4 - padding));
    }

    public void Align(int alignment)
    {
        int padded = (_length + alignment - 1) & ~(alignment - 1);
        Ensure(padded - _length);
        _buffer.AsSpan(_length, padded - _length).Clear();
        _length = padded;
    }

    /// <summary>The finished message; valid until the next Begin.</summary>
    public ReadOnlySpan<byte> Finish()
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(4), (uint)(_length - _bodyStart));
        return _buffer.AsSpan(0, _length);
    }

    private void Begin(DBusMessageType type, byte flags, uint serial)
    {
        _length = 0;
        Ensure(16);
        _buffer[0] = (byte)'l';
        _buffer[1] = (byte)type;
        _buffer[2] = flags;
        _buffer[3] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(4), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(8), serial);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(12), 0);
        _length = 16;
    }

    private void Field(byte code, char type, string value)
    {
        Align(8);
        WriteByte(code);
        WriteSignature(type.ToString());
        if (type == 'g')
        {
            WriteSignature(value);
        }
        else
        {
            WriteString(value);
        }
    }

    private void ReplySerialField(uint replySerial)
    {
        Align(8);
        WriteByte(5);
        WriteSignature("u");
        WriteUInt32(replySerial);
    }

    private void EndHeader(string signature, uint fds)
    {
        if (signature.Length > 0)
        {
            Field(8, 'g', signature);
        }
        if (fds > 0)
        {
            Align(8);
            WriteByte(9);
            WriteSignature("u");
            WriteUInt32(fds);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(12), (uint)(_length - 16));
        Align(8);
        _bodyStart = _length;
    }

    private void Ensure(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }
    }
}
