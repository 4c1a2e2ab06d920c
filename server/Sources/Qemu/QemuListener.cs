namespace WebConsole.Sources.Qemu;

/// <summary>
/// Our side of the listener socket handed to <c>RegisterListener</c>: QEMU authenticates us, reads
/// our <c>Interfaces</c> property (offering <c>org.qemu.Display1.Listener.Unix.Map</c> when enabled)
/// and then calls us for every change. Each call is checked against its signature and handed to the
/// <see cref="QemuSurface"/>; anything else is a rejection (reported through <see cref="Rejected"/>,
/// answered with a D-Bus error when QEMU waits for an answer) and the connection goes on.
/// </summary>
internal sealed class QemuListener : IDisposable
{
    private readonly DBusConnection _connection;
    private readonly QemuSurface _surface;
    private readonly bool _offerMap;
    private readonly DBusMessage _message = new();
    private readonly DBusMessageWriter _writer = new();

    /// <summary>Owns <paramref name="fd"/> (our end of the listener socketpair).</summary>
    public QemuListener(int fd, QemuSurface surface, bool offerMap, long maxBody, QemuPeerAbort? abort = null)
    {
        _connection = new DBusConnection(fd, maxBody, "QEMU on the listener socket", abort);
        _surface = surface;
        _offerMap = offerMap;
    }

    /// <summary>A message was refused (the reason); called on the listener thread.</summary>
    public event Action<string>? Rejected;

    public long Messages { get; private set; }

    public long BytesReceived => _connection.BytesReceived;

    /// <summary>Authenticates, then serves QEMU's calls until the connection ends; returns why it ended.</summary>
    public string Run(TimeSpan authTimeout)
    {
        try
        {
            _connection.Authenticate(authTimeout);
        }
        catch (IOException e)
        {
            return e.Message;
        }
        while (true)
        {
            if (!_connection.TryReceive(_message, -1, out string? rejection))
            {
                return rejection ?? "the listener connection ended";
            }
            if (rejection is not null)
            {
                Rejected?.Invoke(rejection);
                continue;
            }
            Messages++;
            if (_message.Type != DBusMessageType.MethodCall)
            {
                continue; // returns, errors and signals: QEMU's own business
            }
            string? error;
            bool unknown;
            try
            {
                error = Handle(out unknown);
            }
            catch (IOException e)
            {
                return e.Message;
            }
            if (error is not null)
            {
                Rejected?.Invoke(error);
            }
            if (!_message.NoReplyExpected)
            {
                try
                {
                    Reply(error, unknown);
                }
                catch (IOException e)
                {
                    return e.Message;
                }
            }
        }
    }

    /// <summary>
    /// Takes one whole message as it came off the socket (measured by <see cref="DBusMessageParser.TryMeasure"/>)
    /// and handles it as <see cref="Run"/> does, without answering; returns the rejection, if any.
    /// The fuzz tests drive the parser and every handler through here.
    /// </summary>
    internal string? HandleUnanswered(ReadOnlyMemory<byte> bytes, int headerSize)
    {
        _message.Reset();
        try
        {
            DBusMessageParser.Parse(bytes, headerSize, _message);
        }
        catch (DBusFormatException e)
        {
            return e.Message;
        }
        if (_message.Type != DBusMessageType.MethodCall)
        {
            return null;
        }
        _message.Flags |= DBusMessageWriter.FlagNoReplyExpected;
        return Handle(out _);
    }

    /// <summary>Ends <see cref="Run"/> from another thread.</summary>
    public void Stop() => _connection.Shutdown();

    public void Dispose()
    {
        _message.Reset();
        _connection.Dispose();
    }

    private string? Handle(out bool unknown)
    {
        unknown = false;
        try
        {
            return Dispatch(ref unknown);
        }
        catch (DBusFormatException e)
        {
            return $"{_message.Member}: {e.Message}";
        }
    }

    private string? Dispatch(ref bool unknown)
    {
        DBusMessage m = _message;
        string member = m.Member!;
        string? iface = m.Interface;
        if (iface == DBusNames.PropertiesInterface)
        {
            return member switch
            {
                "GetAll" when m.Signature == "s" => ReplyGetAll(),
                "Get" when m.Signature == "ss" => ReplyGet(),
                _ => Unknown(ref unknown),
            };
        }
        if (iface == DBusNames.PeerInterface && member == "Ping")
        {
            return null;
        }
        if (m.Path != DBusNames.ListenerPath)
        {
            return Unknown(ref unknown);
        }
        bool listener = iface is null or DBusNames.ListenerInterface;
        bool map = _offerMap && iface is null or DBusNames.MapInterface;
        var body = new DBusBodyReader(m.Body.Span);
        switch (member)
        {
            case "Update" when listener:
            {
                Expect("iiiiuuay");
                int x = body.ReadInt32(), y = body.ReadInt32(), w = body.ReadInt32(), h = body.ReadInt32();
                uint stride = body.ReadUInt32(), format = body.ReadUInt32();
                ReadOnlySpan<byte> data = body.ReadByteArray(body.Remaining);
                return _surface.ApplyUpdate(x, y, w, h, stride, format, data);
            }
            case "Scanout" when listener:
            {
                Expect("uuuuay");
                uint w = body.ReadUInt32(), h = body.ReadUInt32(), stride = body.ReadUInt32(), format = body.ReadUInt32();
                ReadOnlySpan<byte> data = body.ReadByteArray(body.Remaining);
                return _surface.ApplyScanout(w, h, stride, format, data);
            }
            case "UpdateMap" when map:
            {
                Expect("iiii");
                int x = body.ReadInt32(), y = body.ReadInt32(), w = body.ReadInt32(), h = body.ReadInt32();
                return _surface.ApplyUpdateMap(x, y, w, h);
            }
            case "ScanoutMap" when map:
            {
                Expect("huuuuu");
                uint handle = body.ReadUInt32();
                uint offset = body.ReadUInt32(), w = body.ReadUInt32(), h = body.ReadUInt32();
                uint stride = body.ReadUInt32(), format = body.ReadUInt32();
                return _surface.ApplyScanoutMap(m.TakeFd(handle), offset, w, h, stride, format);
            }
            case "Disable" when listener:
                Expect("");
                _surface.Disable();
                return null;
            case "MouseSet" when listener:
            {
                Expect("iii");
                int x = body.ReadInt32(), y = body.ReadInt32(), on = body.ReadInt32();
                _surface.ApplyMouseSet(x, y, on != 0);
                return null;
            }
            case "CursorDefine" when listener:
            {
                Expect("iiiiay");
                int w = body.ReadInt32(), h = body.ReadInt32(), hotX = body.ReadInt32(), hotY = body.ReadInt32();
                ReadOnlySpan<byte> data = body.ReadByteArray(body.Remaining);
                return _surface.ApplyCursorDefine(w, h, hotX, hotY, data);
            }
            case "ScanoutDMABUF" or "UpdateDMABUF" when listener:
                // Only with gl=on; the console's documentation asks for gl=off.
                return $"{member}: DMA-BUF scanouts need -display dbus,gl=off";
            default:
                return Unknown(ref unknown);
        }
    }

    private void Expect(string signature)
    {
        if (_message.Signature != signature)
        {
            DBusFormatException.Throw($"signature '{_message.Signature}', expected '{signature}'");
        }
    }

    private string Unknown(ref bool unknown)
    {
        unknown = true;
        return $"unknown method {_message.Interface}.{_message.Member} on {_message.Path}";
    }

    private string? ReplyGetAll()
    {
        var body = new DBusBodyReader(_message.Body.Span);
        string iface = body.ReadString();
        bool ours = iface == DBusNames.ListenerInterface;
        if (!_message.NoReplyExpected)
        {
            _connection.Send(_writer, w =>
            {
                w.BeginReturn(_connection.NextSerial(), _message.Serial, "a{sv}");
                int array = w.BeginArray(8);
                if (ours)
                {
                    WriteInterfacesEntry(w);
                }
                w.EndArray(array);
            });
        }
        _message.Flags |= DBusMessageWriter.FlagNoReplyExpected; // answered
        return null;
    }

    private string? ReplyGet()
    {
        var body = new DBusBodyReader(_message.Body.Span);
        string iface = body.ReadString();
        string name = body.ReadString();
        if (iface != DBusNames.ListenerInterface || name != "Interfaces")
        {
            return $"unknown property {iface}.{name}";
        }
        if (!_message.NoReplyExpected)
        {
            _connection.Send(_writer, w =>
            {
                w.BeginReturn(_connection.NextSerial(), _message.Serial, "v");
                WriteInterfacesValue(w);
            });
        }
        _message.Flags |= DBusMessageWriter.FlagNoReplyExpected;
        return null;
    }

    private void WriteInterfacesEntry(DBusMessageWriter w)
    {
        w.Align(8);
        w.WriteString("Interfaces");
        WriteInterfacesValue(w);
    }

    private void WriteInterfacesValue(DBusMessageWriter w)
    {
        w.WriteSignature("as");
        int names = w.BeginArray(4);
        if (_offerMap)
        {
            w.WriteString(DBusNames.MapInterface);
        }
        w.EndArray(names);
    }

    private void Reply(string? error, bool unknown)
    {
        uint serial = _connection.NextSerial();
        _connection.Send(_writer, w =>
        {
            if (error is null)
            {
                w.BeginReturn(serial, _message.Serial, "");
            }
            else
            {
                w.WriteError(serial, _message.Serial, unknown ? DBusNames.UnknownMethod : DBusNames.InvalidArgs, error);
            }
        });
    }
}
