using System.Buffers.Binary;

namespace WebConsole.Sources.Qemu;

/// <summary>
/// Reads little-endian D-Bus values from a message part, with every length checked against what
/// is there before it is used; a violation throws <see cref="DBusFormatException"/>. Positions
/// are relative to a start that is 8-aligned in the message (the body, or the message itself), so
/// alignment is the same as on the wire.
/// </summary>
internal ref struct DBusBodyReader
{
    /// <summary>Deepest container nesting accepted (the D-Bus limit is 32 arrays + 32 structs).</summary>
    public const int MaxDepth = 32;

    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public DBusBodyReader(ReadOnlySpan<byte> data, int position = 0)
    {
        _data = data;
        _position = position;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public void Align(int alignment)
    {
        int padded = (_position + alignment - 1) & ~(alignment - 1);
        if (padded > _data.Length)
        {
            DBusFormatException.Throw("message ends inside alignment padding");
        }
        for (int i = _position; i < padded; i++)
        {
            if (_data[i] != 0)
            {
                DBusFormatException.Throw("non-zero alignment padding");
            }
        }
        _position = padded;
    }

    public byte ReadByte()
    {
        Need(1);
        return _data[_position++];
    }

    public bool ReadBoolean()
    {
        uint value = ReadUInt32();
        if (value > 1)
        {
            DBusFormatException.Throw($"boolean value {value}");
        }
        return value == 1;
    }

    public uint ReadUInt32()
    {
        Align(4);
        Need(4);
        uint value = BinaryPrimitives.ReadUInt32LittleEndian(_data[_position..]);
        _position += 4;
        return value;
    }

    public int ReadInt32() => unchecked((int)ReadUInt32());

    public ulong ReadUInt64()
    {
        Align(8);
        Need(8);
        ulong value = BinaryPrimitives.ReadUInt64LittleEndian(_data[_position..]);
        _position += 8;
        return value;
    }

    /// <summary>A string or object path: its UTF-8 bytes, without the terminating NUL (checked).</summary>
    public ReadOnlySpan<byte> ReadStringBytes()
    {
        uint length = ReadUInt32();
        if (length > (uint)Remaining - 1 || Remaining < 1)
        {
            DBusFormatException.Throw($"string of {length} bytes runs past the message");
        }
        ReadOnlySpan<byte> bytes = _data.Slice(_position, (int)length);
        if (_data[_position + (int)length] != 0 || bytes.Contains((byte)0))
        {
            DBusFormatException.Throw("string without its terminating NUL, or with a NUL inside");
        }
        _position += (int)length + 1;
        return bytes;
    }

    public string ReadString() => DBusNames.Get(ReadStringBytes());

    /// <summary>A signature: one length byte, the characters, a NUL.</summary>
    public ReadOnlySpan<byte> ReadSignatureBytes()
    {
        int length = ReadByte();
        if (length > Remaining - 1)
        {
            DBusFormatException.Throw($"signature of {length} bytes runs past the message");
        }
        ReadOnlySpan<byte> bytes = _data.Slice(_position, length);
        if (_data[_position + length] != 0)
        {
            DBusFormatException.Throw("signature without its terminating NUL");
        }
        _position += length + 1;
        return bytes;
    }

    /// <summary>An <c>ay</c>: the bytes in place (no copy), at most <paramref name="maxLength"/>.</summary>
    public ReadOnlySpan<byte> ReadByteArray(long maxLength)
    {
        uint length = ReadUInt32();
        if (length > maxLength)
        {
            DBusFormatException.Throw($"byte array of {length} bytes is over the limit of {maxLength}");
        }
        Need((int)length);
        ReadOnlySpan<byte> bytes = _data.Slice(_position, (int)length);
        _position += (int)length;
        return bytes;
    }

    /// <summary>Starts an array of elements aligned to <paramref name="elementAlignment"/>; returns the position where it ends.</summary>
    public int BeginArray(int elementAlignment)
    {
        uint length = ReadUInt32();
        if (length > 1 << 26)
        {
            DBusFormatException.Throw($"array of {length} bytes is over the D-Bus limit");
        }
        Align(elementAlignment);
        Need((int)length);
        return _position + (int)length;
    }

    /// <summary>Skips one complete value of type <paramref name="signature"/> (a single complete type).</summary>
    public void Skip(ReadOnlySpan<byte> signature, int depth = 0)
    {
        int used = SkipOne(signature, depth);
        if (used != signature.Length)
        {
            DBusFormatException.Throw("more than one complete type where one was expected");
        }
    }

    /// <summary>Skips the value of the first complete type in <paramref name="signature"/>; returns the characters used.</summary>
    public int SkipOne(ReadOnlySpan<byte> signature, int depth)
    {
        if (depth > MaxDepth)
        {
            DBusFormatException.Throw("containers nested too deeply");
        }
        if (signature.IsEmpty)
        {
            DBusFormatException.Throw("empty type");
        }
        switch ((char)signature[0])
        {
            case 'y':
                ReadByte();
                return 1;
            case 'b':
                ReadBoolean();
                return 1;
            case 'n':
            case 'q':
                Align(2);
                Need(2);
                _position += 2;
                return 1;
            case 'i':
            case 'u':
            case 'h':
                ReadUInt32();
                return 1;
            case 'x':
            case 't':
            case 'd':
                ReadUInt64();
                return 1;
            case 's':
            case 'o':
                ReadStringBytes();
                return 1;
            case 'g':
                ReadSignatureBytes();
                return 1;
            case 'v':
            {
                ReadOnlySpan<byte> inner = ReadSignatureBytes();
                Skip(inner, depth + 1);
                return 1;
            }
            case 'a':
            {
                int elementLength = ElementLength(signature[1..], depth + 1);
                ReadOnlySpan<byte> element = signature.Slice(1, elementLength);
                int end = BeginArray(Alignment(element[0]));
                while (_position < end)
                {
                    if (element[0] == '{')
                    {
                        Align(8);
                        SkipStructContents(element[1..^1], depth + 1, dictEntry: true);
                    }
                    else
                    {
                        SkipOne(element, depth + 1);
                    }
                }
                if (_position != end)
                {
                    DBusFormatException.Throw("array elements run past the array's length");
                }
                return 1 + elementLength;
            }
            case '(':
            {
                int length = ElementLength(signature, depth);
                Align(8);
                SkipStructContents(signature[1..(length - 1)], depth + 1, dictEntry: false);
                return length;
            }
            default:
                DBusFormatException.Throw($"unknown type code '{(char)signature[0]}'");
                return 0;
        }
    }

    private void SkipStructContents(ReadOnlySpan<byte> fields, int depth, bool dictEntry)
    {
        if (fields.IsEmpty)
        {
            DBusFormatException.Throw("empty structure");
        }
        int count = 0;
        while (!fields.IsEmpty)
        {
            int used = SkipOne(fields, depth);
            fields = fields[used..];
            count++;
        }
        if (dictEntry && count != 2)
        {
            DBusFormatException.Throw("dictionary entry without exactly a key and a value");
        }
    }

    /// <summary>The length of the first complete type in <paramref name="signature"/>.</summary>
    public static int ElementLength(ReadOnlySpan<byte> signature, int depth)
    {
        if (depth > MaxDepth * 2)
        {
            DBusFormatException.Throw("type nested too deeply");
        }
        if (signature.IsEmpty)
        {
            DBusFormatException.Throw("array or structure without an element type");
        }
        switch ((char)signature[0])
        {
            case 'a':
                return 1 + ElementLength(signature[1..], depth + 1);
            case '(':
            case '{':
            {
                char close = signature[0] == '(' ? ')' : '}';
                int i = 1;
                while (i < signature.Length && signature[i] != close)
                {
                    i += ElementLength(signature[i..], depth + 1);
                }
                if (i >= signature.Length)
                {
                    DBusFormatException.Throw("unterminated structure in a signature");
                }
                return i + 1;
            }
            case ')':
            case '}':
                DBusFormatException.Throw("unbalanced structure in a signature");
                return 0;
            default:
                return 1;
        }
    }

    private static int Alignment(byte type) => (char)type switch
    {
        'y' or 'g' or 'v' => 1,
        'n' or 'q' => 2,
        'x' or 't' or 'd' or '(' or '{' => 8,
        _ => 4,
    };

    private readonly void Need(int count)
    {
        if (count < 0 || count > _data.Length - _position)
        {
            DBusFormatException.Throw($"value of {count} bytes runs past the message");
        }
    }
}
