using System.Buffers.Binary;

namespace WebConsole.Sources.Qemu;

/// <summary>
/// The one place a D-Bus message from QEMU is taken apart: the fixed header first (so the size is
/// known and checked before anything is buffered for it), then the header fields. Only
/// little-endian version-1 messages are accepted (QEMU on the same host sends nothing else).
/// </summary>
internal static class DBusMessageParser
{
    /// <summary>The fixed part: endianness, type, flags, version, body length, serial, header-field array length.</summary>
    public const int FixedHeaderSize = 16;

    /// <summary>Largest header-field array accepted; QEMU's are well under 300 bytes.</summary>
    public const int MaxHeaderFieldsSize = 4096;

    /// <summary>
    /// From the first 16 bytes: the whole message's size. False when the message cannot even be
    /// skipped (bad endianness or a header-field array over the limit: the stream is lost).
    /// <paramref name="bodyTooLarge"/> says the message is well framed but its body is over
    /// <paramref name="maxBody"/>: it is skipped unread.
    /// </summary>
    public static bool TryMeasure(ReadOnlySpan<byte> fixedHeader, long maxBody, out long total, out int headerSize,
        out bool bodyTooLarge, out string? error)
    {
        total = 0;
        headerSize = 0;
        bodyTooLarge = false;
        error = null;
        if (fixedHeader[0] != (byte)'l')
        {
            error = fixedHeader[0] == (byte)'B' ? "big-endian message (not sent by a local QEMU)" : $"bad endianness byte 0x{fixedHeader[0]:x2}";
            return false;
        }
        uint bodyLength = BinaryPrimitives.ReadUInt32LittleEndian(fixedHeader[4..]);
        uint fieldsLength = BinaryPrimitives.ReadUInt32LittleEndian(fixedHeader[12..]);
        if (fieldsLength > MaxHeaderFieldsSize)
        {
            error = $"header fields of {fieldsLength} bytes (limit {MaxHeaderFieldsSize})";
            return false;
        }
        headerSize = (FixedHeaderSize + (int)fieldsLength + 7) & ~7;
        total = headerSize + (long)bodyLength;
        if (bodyLength > maxBody)
        {
            bodyTooLarge = true;
            error = $"message body of {bodyLength} bytes is over the limit of {maxBody}";
        }
        return true;
    }

    /// <summary>Parses a whole message (as measured) into <paramref name="message"/>; throws <see cref="DBusFormatException"/>.</summary>
    public static void Parse(ReadOnlyMemory<byte> bytes, int headerSize, DBusMessage message)
    {
        ReadOnlySpan<byte> span = bytes.Span;
        byte type = span[1];
        if (type is 0 or > 4)
        {
            DBusFormatException.Throw($"message type {type}");
        }
        if (span[3] != 1)
        {
            DBusFormatException.Throw($"protocol version {span[3]}");
        }
        message.Type = (DBusMessageType)type;
        message.Flags = span[2];
        message.Serial = BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
        if (message.Serial == 0)
        {
            DBusFormatException.Throw("serial 0");
        }
        var reader = new DBusBodyReader(span[..headerSize], 12);
        int end = reader.BeginArray(8);
        while (reader.Position < end)
        {
            reader.Align(8);
            byte code = reader.ReadByte();
            ReadOnlySpan<byte> signature = reader.ReadSignatureBytes();
            switch (code)
            {
                case 1:
                    Expect(signature, 'o', code);
                    message.Path = reader.ReadString();
                    break;
                case 2:
                    Expect(signature, 's', code);
                    message.Interface = reader.ReadString();
                    break;
                case 3:
                    Expect(signature, 's', code);
                    message.Member = reader.ReadString();
                    break;
                case 4:
                    Expect(signature, 's', code);
                    message.ErrorName = reader.ReadString();
                    break;
                case 5:
                    Expect(signature, 'u', code);
                    message.ReplySerial = reader.ReadUInt32();
                    break;
                case 7:
                    Expect(signature, 's', code);
                    message.Sender = reader.ReadString();
                    break;
                case 8:
                    Expect(signature, 'g', code);
                    ReadOnlySpan<byte> body = reader.ReadSignatureBytes();
                    message.Signature = DBusNames.Get(body);
                    break;
                case 9:
                    Expect(signature, 'u', code);
                    message.UnixFds = reader.ReadUInt32();
                    break;
                default:
                    // Destination and codes from later versions: skipped, whatever their type.
                    reader.Skip(signature, 1);
                    break;
            }
        }
        if (reader.Position != end)
        {
            DBusFormatException.Throw("header fields run past their array");
        }
        reader.Align(8);
        if (reader.Position != headerSize)
        {
            DBusFormatException.Throw("header length does not match its fields");
        }
        switch (message.Type)
        {
            case DBusMessageType.MethodCall when message.Path is null || message.Member is null:
                DBusFormatException.Throw("method call without a path or member");
                break;
            case DBusMessageType.Signal when message.Path is null || message.Member is null || message.Interface is null:
                DBusFormatException.Throw("signal without a path, interface or member");
                break;
            case DBusMessageType.MethodReturn when message.ReplySerial == 0:
                DBusFormatException.Throw("method return without a reply serial");
                break;
            case DBusMessageType.Error when message.ReplySerial == 0 || message.ErrorName is null:
                DBusFormatException.Throw("error without a reply serial or name");
                break;
        }
        if (message.Signature.Length == 0 && bytes.Length > headerSize)
        {
            DBusFormatException.Throw("a body but no signature");
        }
        message.Body = bytes[headerSize..];
    }

    private static void Expect(ReadOnlySpan<byte> signature, char type, byte code)
    {
        if (signature.Length != 1 || signature[0] != (byte)type)
        {
            DBusFormatException.Throw($"header field {code} is not of type '{type}'");
        }
    }
}
