using System.Collections.Concurrent;
using System.Threading.Channels;
using WebConsole.Region;

namespace WebConsole.Sources.Qemu;

/// <summary>
/// The display connection to one QEMU console (<c>/org/qemu/Display1/Console_N</c>): peer to peer
/// through a socketpair handed over QMP, or through a bus to <c>org.qemu</c>. It registers the
/// listener and carries input: <c>Keyboard.Press/Release</c> with QEMU key numbers, and
/// <c>Mouse.SetAbsPosition</c> (absolute device) or <c>RelMotion</c>, buttons and wheel. Input is
/// queued (bounded) and sent by its own thread without waiting for answers, so a stalled QEMU
/// never blocks a viewer; a full queue drops the event.
/// </summary>
internal sealed class QemuDisplayConnection : IDisposable
{
    /// <summary>Input events queued for QEMU before new ones are dropped.</summary>
    public const int InputQueueLength = 512;

    /// <summary>
    /// Least time between two key events. QEMU puts keys straight into the emulated keyboard's
    /// queue (16 bytes on a PS/2 keyboard), so keys sent back to back overflow it and the guest
    /// loses them (measured: "modprobe bochs" typed at once arrived as "modprobe "). QEMU's own
    /// sendkey paces keys the same way.
    /// </summary>
    public static readonly TimeSpan KeyInterval = TimeSpan.FromMilliseconds(8);

    private static readonly TimeSpan s_keyTimeout = TimeSpan.FromSeconds(5);

    // QEMU's InputButton numbers (qapi/ui.json): left, middle, right, wheel-up, wheel-down, side, extra, wheel-left, wheel-right.
    private const uint ButtonLeft = 0, ButtonMiddle = 1, ButtonRight = 2, WheelUp = 3, WheelDown = 4, ButtonSide = 5,
        ButtonExtra = 6, WheelLeft = 7, WheelRight = 8;

    private static readonly (uint Mask, uint Button)[] s_buttons =
    [
        (InputEvent.ButtonLeft, ButtonLeft), (InputEvent.ButtonMiddle, ButtonMiddle), (InputEvent.ButtonRight, ButtonRight),
        (InputEvent.ButtonBack, ButtonSide), (InputEvent.ButtonForward, ButtonExtra),
    ];

    private readonly DBusConnection _connection;
    private readonly string? _destination;
    private readonly string _consolePath;
    private readonly DBusMessageWriter _writer = new();
    private readonly DBusMessage _message = new();
    private readonly ConcurrentDictionary<uint, DBusPendingCall> _pending = new();
    private readonly Channel<InputEvent> _input = Channel.CreateBounded<InputEvent>(
        new BoundedChannelOptions(InputQueueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Thread _reader;
    private readonly Thread _sender;
    private readonly ManualResetEvent _closedEvent = new(false);
    private long _lastKey;
    private volatile bool _closed;
    private volatile bool _isAbsolute;
    private int _lastX = -1, _lastY = -1;
    private uint _buttons;
    private int _wheelX, _wheelY;

    private QemuDisplayConnection(DBusConnection connection, string? destination, string consolePath, string name)
    {
        _connection = connection;
        _destination = destination;
        _consolePath = consolePath;
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = $"qemu display {name}" };
        _sender = new Thread(SendLoop) { IsBackground = true, Name = $"qemu input {name}" };
    }

    /// <summary>Why the connection ended, once it has.</summary>
    public string? ClosedReason { get; private set; }

    public bool IsClosed => _closed;

    /// <summary>Set once the connection has ended.</summary>
    public WaitHandle Closed => _closedEvent;

    /// <summary>Whether QEMU's mouse is absolute (a usb-tablet or virtio-tablet is active).</summary>
    public bool IsAbsolute => _isAbsolute;

    /// <summary>
    /// With the QMP route: whether QEMU has a <c>qemu-vdagent</c> chardev (its guest clipboard
    /// agent's way in); null on the bus route, where there is no QMP to ask.
    /// </summary>
    public bool? HasVdagentChardev { get; private set; }

    /// <summary>
    /// Serves QEMU's calls on <c>/org/qemu/Display1/Clipboard</c> (our side of
    /// org.qemu.Display1.Clipboard), on the receiving thread; it must answer at once (QEMU waits
    /// for some of these answers with its main loop blocked). Set before <see cref="RegisterClipboard"/>.
    /// </summary>
    public Action<QemuDisplayConnection, DBusMessage>? ClipboardCalls { get; set; }

    /// <summary>A message from QEMU on this connection was refused.</summary>
    public event Action<string>? Rejected;

    /// <summary>Input that could not be passed on (the reason).</summary>
    public event Action<string>? InputDropped;

    /// <summary>Connects as <paramref name="target"/> says; throws <see cref="IOException"/> with a reason for the status line.</summary>
    /// <remarks>Every wait is bounded by <paramref name="timeout"/>; <paramref name="abort"/> ends any of them at once, and the connection's later ones too.</remarks>
    /// <remarks><paramref name="graphics"/> hands over the socket of a <see cref="QemuRoute.Libvirt"/> target.</remarks>
    public static QemuDisplayConnection Open(QemuSourceTarget target, TimeSpan timeout, long maxBody, QemuPeerAbort? abort = null,
        IQemuGraphicsOpener? graphics = null)
    {
        DBusConnection connection;
        string? destination = null;
        bool? hasVdagent = null;
        if (target.Route == QemuRoute.Qmp)
        {
            int error = QemuNative.SocketPair(out int ours, out int theirs);
            if (error != 0)
            {
                throw new IOException($"socketpair failed: errno {error}");
            }
            try
            {
                using QmpClient qmp = QmpClient.Connect(target.Address, timeout, abort);
                qmp.AddDBusDisplayClient(theirs);
                hasVdagent = qmp.HasVdagentChardev();
            }
            catch
            {
                QemuNative.Close(ours);
                throw;
            }
            finally
            {
                QemuNative.Close(theirs);
            }
            connection = new DBusConnection(ours, maxBody, "QEMU", abort);
        }
        else if (target.Route == QemuRoute.Libvirt)
        {
            if (graphics is null)
            {
                throw new IOException("this server has no libvirt connection (Libvirt:Uri)");
            }
            // Fresh on every connection: the same peer-to-peer D-Bus as the QMP hand-over, QEMU the server.
            connection = new DBusConnection(graphics.Open(target.Address), maxBody, "QEMU", abort);
        }
        else
        {
            int error = QemuNative.Connect(target.BusSocket!, target.BusAbstract, out int fd);
            if (error != 0)
            {
                throw new IOException(error == 2 ? $"{target.BusSocket} does not exist" : $"cannot connect to the bus {target.Address}: errno {error}");
            }
            connection = new DBusConnection(fd, maxBody, "the bus", abort);
            destination = DBusNames.QemuBusName;
        }
        var display = new QemuDisplayConnection(connection, destination, target.ConsolePath, target.ToString()) { HasVdagentChardev = hasVdagent };
        try
        {
            connection.Authenticate(timeout);
            display._reader.Start();
            display._sender.Start();
            if (target.Route == QemuRoute.Bus)
            {
                display.Call(DBusNames.BusPath, DBusNames.BusName, "Hello", "", null, -1, timeout, DBusNames.BusName);
            }
            display.RefreshIsAbsolute(timeout);
            return display;
        }
        catch
        {
            display.Dispose();
            throw;
        }
    }

    /// <summary>Hands QEMU the other end of a new listener socket; it then calls us on it.</summary>
    public void RegisterListener(int listenerFd, TimeSpan timeout) =>
        Call(_consolePath, DBusNames.ConsoleInterface, "RegisterListener", "h", w => w.WriteUInt32(0), listenerFd, timeout);

    /// <summary>
    /// Calls org.qemu.Display1.Clipboard.<paramref name="member"/> on QEMU's
    /// <c>/org/qemu/Display1/Clipboard</c> and waits for the answer (not on the receiving thread);
    /// throws <see cref="IOException"/> with QEMU's error or what did not come in time.
    /// </summary>
    public void CallClipboard(string member, string signature, Action<DBusMessageWriter>? body, TimeSpan timeout,
        Action<DBusMessage>? reply = null) =>
        Call(DBusNames.ClipboardPath, DBusNames.ClipboardInterface, member, signature, body, -1, timeout, reply: reply);

    /// <summary>Answers QEMU's call <paramref name="call"/> (on the receiving thread), unless it asked for no answer.</summary>
    public void Reply(DBusMessage call, string signature, Action<DBusMessageWriter>? body)
    {
        if (call.NoReplyExpected)
        {
            return;
        }
        _connection.Send(_writer, w =>
        {
            w.BeginReturn(_connection.NextSerial(), call.Serial, signature, call.Sender);
            body?.Invoke(w);
        });
    }

    /// <summary>Answers QEMU's call <paramref name="call"/> with an error, unless it asked for no answer.</summary>
    public void ReplyError(DBusMessage call, string errorName, string text)
    {
        if (!call.NoReplyExpected)
        {
            _connection.Send(_writer, w => w.WriteError(_connection.NextSerial(), call.Serial, errorName, text, call.Sender));
        }
    }

    /// <summary>Reads the console's Width and Height properties (to check a scanout against).</summary>
    public (uint Width, uint Height) ReadSize(TimeSpan timeout)
    {
        uint width = 0, height = 0;
        Call(_consolePath, DBusNames.PropertiesInterface, "Get", "ss", w =>
        {
            w.WriteString(DBusNames.ConsoleInterface);
            w.WriteString("Width");
        }, -1, timeout, reply: m => width = ReadVariantUInt32(m));
        Call(_consolePath, DBusNames.PropertiesInterface, "Get", "ss", w =>
        {
            w.WriteString(DBusNames.ConsoleInterface);
            w.WriteString("Height");
        }, -1, timeout, reply: m => height = ReadVariantUInt32(m));
        return (width, height);
    }

    public void RefreshIsAbsolute(TimeSpan timeout)
    {
        Call(_consolePath, DBusNames.PropertiesInterface, "Get", "ss", w =>
        {
            w.WriteString(DBusNames.MouseInterface);
            w.WriteString("IsAbsolute");
        }, -1, timeout, reply: m =>
        {
            var body = new DBusBodyReader(m.Body.Span);
            if (m.Signature == "v" && body.ReadSignatureBytes().SequenceEqual("b"u8))
            {
                _isAbsolute = body.ReadBoolean();
            }
        });
    }

    /// <summary>Queues an input event; false when the connection is closed or the queue is full.</summary>
    public bool TrySendInput(in InputEvent e)
    {
        if (_closed)
        {
            return false;
        }
        if (!_input.Writer.TryWrite(e))
        {
            InputDropped?.Invoke($"{InputQueueLength} input events are waiting for QEMU");
            return false;
        }
        return true;
    }

    public void Dispose()
    {
        Close("closed");
        _input.Writer.TryComplete();
        if (_reader.IsAlive && Thread.CurrentThread != _reader)
        {
            _reader.Join(TimeSpan.FromSeconds(2));
        }
        if (_sender.IsAlive && Thread.CurrentThread != _sender)
        {
            _sender.Join(TimeSpan.FromSeconds(2));
        }
        _connection.Dispose();
        _message.Reset();
    }

    private void Close(string reason)
    {
        if (_closed)
        {
            return;
        }
        ClosedReason = reason;
        _closed = true;
        _closedEvent.Set();
        _connection.Shutdown();
        foreach (DBusPendingCall call in _pending.Values)
        {
            call.Fail(reason);
        }
    }

    private void Call(string path, string @interface, string member, string signature, Action<DBusMessageWriter>? body,
        int passFd, TimeSpan timeout, string? destination = null, Action<DBusMessage>? reply = null)
    {
        if (_closed)
        {
            throw new IOException(ClosedReason ?? "closed");
        }
        var call = new DBusPendingCall(reply);
        uint serial = _connection.NextSerial();
        _pending[serial] = call;
        try
        {
            _connection.Send(_writer, w =>
            {
                w.BeginMethodCall(serial, destination ?? _destination, path, @interface, member, signature, noReply: false, passFd >= 0 ? 1u : 0u);
                body?.Invoke(w);
            }, passFd);
            if (!call.Done.Wait(timeout))
            {
                string who = (destination ?? _destination) == DBusNames.BusName ? "the bus" : "QEMU";
                throw new IOException($"{who} did not answer {member} within {QmpClient.Seconds(timeout)}");
            }
            if (call.Error is not null)
            {
                throw new IOException($"{member}: {call.Error}");
            }
        }
        finally
        {
            _pending.TryRemove(serial, out _);
        }
    }

    private void Notify(string path, string @interface, string member, string signature, Action<DBusMessageWriter> body)
    {
        _connection.Send(_writer, w =>
        {
            w.BeginMethodCall(_connection.NextSerial(), _destination, path, @interface, member, signature, noReply: true);
            body(w);
        });
    }

    private void ReadLoop()
    {
        try
        {
            while (!_closed)
            {
                if (!_connection.TryReceive(_message, -1, out string? rejection))
                {
                    Close(rejection ?? "the display connection ended");
                    return;
                }
                if (rejection is not null)
                {
                    // A reply refused (e.g. over the size limit) still ends the call that waits for it.
                    if (_message.Type is DBusMessageType.MethodReturn or DBusMessageType.Error
                        && _pending.TryGetValue(_message.ReplySerial, out DBusPendingCall? refused))
                    {
                        refused.Fail(rejection);
                    }
                    Rejected?.Invoke(rejection);
                    continue;
                }
                switch (_message.Type)
                {
                    case DBusMessageType.MethodReturn:
                    case DBusMessageType.Error:
                        if (_pending.TryGetValue(_message.ReplySerial, out DBusPendingCall? call))
                        {
                            call.Complete(_message);
                        }
                        break;
                    case DBusMessageType.Signal when _message.Member == "PropertiesChanged" && _message.Signature == "sa{sv}as":
                        ReadPropertiesChanged();
                        break;
                    case DBusMessageType.MethodCall when _message.Path == DBusNames.ClipboardPath && ClipboardCalls is { } clipboard:
                        clipboard(this, _message);
                        break;
                    case DBusMessageType.MethodCall when !_message.NoReplyExpected:
                        _connection.Send(_writer, w => w.WriteError(_connection.NextSerial(), _message.Serial, DBusNames.UnknownMethod, "no methods here", _message.Sender));
                        break;
                }
            }
        }
        catch (IOException e)
        {
            Close(e.Message);
        }
    }

    private void ReadPropertiesChanged()
    {
        try
        {
            var body = new DBusBodyReader(_message.Body.Span);
            if (body.ReadString() != DBusNames.MouseInterface)
            {
                return;
            }
            int end = body.BeginArray(8);
            while (body.Position < end)
            {
                body.Align(8);
                string name = body.ReadString();
                ReadOnlySpan<byte> type = body.ReadSignatureBytes();
                if (name == "IsAbsolute" && type.SequenceEqual("b"u8))
                {
                    _isAbsolute = body.ReadBoolean();
                }
                else
                {
                    body.Skip(type, 1);
                }
            }
        }
        catch (DBusFormatException e)
        {
            Rejected?.Invoke($"PropertiesChanged: {e.Message}");
        }
    }

    private void SendLoop()
    {
        ChannelReader<InputEvent> reader = _input.Reader;
        try
        {
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (reader.TryRead(out InputEvent e))
                {
                    Send(e);
                }
            }
        }
        catch (IOException e)
        {
            Close(e.Message);
        }
    }

    private void Send(in InputEvent e)
    {
        switch (e.Type)
        {
            case InputEventType.Key:
                if (!QemuKeyTable.TryGetQnum(e.Code, out uint qnum))
                {
                    InputDropped?.Invoke($"key {e.Code} has no QEMU key number");
                    return;
                }
                SendKey(qnum, e.Value != 0);
                break;
            case InputEventType.Pointer:
                SendPointer(e.X, e.Y, e.Value);
                break;
            case InputEventType.Wheel:
                SendWheel(e.X, e.Y);
                break;
        }
    }

    private void SendKey(uint qnum, bool down)
    {
        TimeSpan wait = KeyInterval - System.Diagnostics.Stopwatch.GetElapsedTime(_lastKey);
        if (wait > TimeSpan.Zero)
        {
            Thread.Sleep((int)Math.Ceiling(wait.TotalMilliseconds)); // rounded up: Sleep would round down
        }
        try
        {
            // Answered, so keys reach QEMU one at a time, in order with the pointer.
            Call(_consolePath, DBusNames.KeyboardInterface, down ? "Press" : "Release", "u", w => w.WriteUInt32(qnum), -1, s_keyTimeout);
        }
        catch (IOException e) when (!_closed)
        {
            // An error answer or a slow QEMU: this key is lost, the connection is not.
            InputDropped?.Invoke($"key 0x{qnum:x2}: {e.Message}");
        }
        _lastKey = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    private void SendPointer(int x, int y, uint buttons)
    {
        x = Math.Max(x, 0);
        y = Math.Max(y, 0);
        if (x != _lastX || y != _lastY)
        {
            if (_isAbsolute)
            {
                Notify(_consolePath, DBusNames.MouseInterface, "SetAbsPosition", "uu", w =>
                {
                    w.WriteUInt32((uint)x);
                    w.WriteUInt32((uint)y);
                });
            }
            else if (_lastX >= 0)
            {
                int dx = x - _lastX, dy = y - _lastY;
                Notify(_consolePath, DBusNames.MouseInterface, "RelMotion", "ii", w =>
                {
                    w.WriteInt32(dx);
                    w.WriteInt32(dy);
                });
            }
            _lastX = x;
            _lastY = y;
        }
        uint changed = buttons ^ _buttons;
        foreach ((uint mask, uint button) in s_buttons)
        {
            if ((changed & mask) != 0)
            {
                Button(button, (buttons & mask) != 0);
            }
        }
        _buttons = buttons;
    }

    private void SendWheel(int dx, int dy)
    {
        // 120 units are one notch (the page's unit); each notch is a press and release of a wheel button.
        _wheelY = Math.Clamp(_wheelY + dy, -1200, 1200);
        _wheelX = Math.Clamp(_wheelX + dx, -1200, 1200);
        while (_wheelY >= 120)
        {
            Click(WheelDown);
            _wheelY -= 120;
        }
        while (_wheelY <= -120)
        {
            Click(WheelUp);
            _wheelY += 120;
        }
        while (_wheelX >= 120)
        {
            Click(WheelRight);
            _wheelX -= 120;
        }
        while (_wheelX <= -120)
        {
            Click(WheelLeft);
            _wheelX += 120;
        }
    }

    private void Click(uint button)
    {
        Button(button, true);
        Button(button, false);
    }

    private void Button(uint button, bool down) =>
        Notify(_consolePath, DBusNames.MouseInterface, down ? "Press" : "Release", "u", w => w.WriteUInt32(button));

    private static uint ReadVariantUInt32(DBusMessage m)
    {
        var body = new DBusBodyReader(m.Body.Span);
        return m.Signature == "v" && body.ReadSignatureBytes().SequenceEqual("u"u8) ? body.ReadUInt32() : 0;
    }
}
