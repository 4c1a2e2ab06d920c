using System.Net.Sockets;
using WebConsole.Sources.Qemu;

namespace WebConsole.Tests.Sources.Qemu;

/// <summary>
/// A stand-in for a bus with QEMU on it, for input tests: it listens on a unix socket, plays the
/// auth server, answers Hello, the Mouse's IsAbsolute and RegisterListener (and authenticates the
/// listener socket it is given, then leaves it quiet), and records every other call it receives.
/// </summary>
internal sealed class QemuFakeDisplay : IDisposable
{
    private readonly Socket _server;
    private readonly Thread _thread;
    private readonly bool _isAbsolute;
    private readonly List<int> _kept = [];
    private Socket? _client;
    private DBusConnection? _connection;
    private readonly DBusMessageWriter _sendWriter = new();
    private readonly Lock _sendGate = new();
    private uint _testSerial = 50_000;

    public QemuFakeDisplay(bool isAbsolute)
    {
        _isAbsolute = isAbsolute;
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"webconsole-fake-bus-{Guid.NewGuid():N}.sock");
        _server = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _server.Bind(new UnixDomainSocketEndPoint(Path));
        _server.Listen(1);
        _thread = new Thread(Serve) { IsBackground = true };
        _thread.Start();
    }

    public string Path { get; }

    /// <summary>QEMU's end of the listener socket once it is authenticated (-1 before): a test speaks as QEMU on it.</summary>
    public int ListenerFd { get; private set; } = -1;

    /// <summary>Calls received after the set-up, as "Interface.Member(args)".</summary>
    public List<string> Calls { get; } = [];

    /// <summary>Clipboard calls the source made (Register, Grab(selection,serial,mimes), Request(selection)), in order.</summary>
    public List<string> ClipboardCalls { get; } = [];

    /// <summary>Answers from the source to calls sent with <see cref="SendToSource"/>: "ok", "ok:&lt;text&gt;" (a Request's text) or the error name.</summary>
    public List<string> Answers { get; } = [];

    /// <summary>
    /// How the fake answers the source's Clipboard.Request: writes the whole answer (a return or
    /// an error) for the given reply serial. Default: "text/plain;charset=utf-8" and <see cref="ClipboardText"/>.
    /// </summary>
    public Action<DBusMessageWriter, uint>? RequestAnswer { get; set; }

    public byte[] ClipboardText { get; set; } = "from the guest"u8.ToArray();

    public string[] ClipboardSnapshot()
    {
        lock (ClipboardCalls)
        {
            return [.. ClipboardCalls];
        }
    }

    public string[] AnswersSnapshot()
    {
        lock (Answers)
        {
            return [.. Answers];
        }
    }

    /// <summary>Sends QEMU's call on the source's /org/qemu/Display1/Clipboard; <paramref name="body"/> writes its arguments.</summary>
    public void SendToSource(string member, string signature, Action<DBusMessageWriter>? body)
    {
        DBusConnection connection = _connection ?? throw new InvalidOperationException("the source is not connected");
        lock (_sendGate)
        {
            _sendWriter.BeginMethodCall(++_testSerial, ":1.7", DBusNames.ClipboardPath, DBusNames.ClipboardInterface, member, signature, noReply: false);
            body?.Invoke(_sendWriter);
            connection.Send(_sendWriter.Finish());
        }
    }

    /// <summary>
    /// Builds QEMU's call as <see cref="SendToSource"/> does, lets <paramref name="mutate"/> change its
    /// body's bytes (the lengths in the header stay right, so the stream stays framed), and sends it.
    /// </summary>
    public void SendMutatedToSource(string member, string signature, Action<DBusMessageWriter>? body, Action<Span<byte>> mutate)
    {
        DBusConnection connection = _connection ?? throw new InvalidOperationException("the source is not connected");
        lock (_sendGate)
        {
            _sendWriter.BeginMethodCall(++_testSerial, ":1.7", DBusNames.ClipboardPath, DBusNames.ClipboardInterface, member, signature, noReply: false);
            body?.Invoke(_sendWriter);
            byte[] bytes = _sendWriter.Finish().ToArray();
            int bodyLength = BitConverter.ToInt32(bytes, 4);
            mutate(bytes.AsSpan(bytes.Length - bodyLength));
            connection.Send(bytes);
        }
    }

    public string[] Snapshot()
    {
        lock (Calls)
        {
            return [.. Calls];
        }
    }

    public void Dispose()
    {
        _server.Dispose();
        _client?.Dispose();
        _thread.Join(TimeSpan.FromSeconds(5));
        foreach (int fd in _kept)
        {
            QemuNative.Close(fd);
        }
        File.Delete(Path);
    }

    private void Serve()
    {
        try
        {
            _client = _server.Accept();
        }
        catch (SocketException)
        {
            return;
        }
        catch (ObjectDisposedException)
        {
            return;
        }
        int fd = (int)_client.Handle;
        QemuTestPeer.ServeAuth(fd);
        using var connection = new DBusConnection(Dup(fd), 64L << 20);
        _connection = connection;
        var message = new DBusMessage();
        var writer = new DBusMessageWriter();
        uint serial = 1000;
        while (connection.TryReceive(message, -1, out string? rejection))
        {
            Assert.Null(rejection);
            if (message.Type != DBusMessageType.MethodCall)
            {
                if (message.ReplySerial > 50_000)
                {
                    string answer = message.Type == DBusMessageType.Error ? message.ErrorName!
                        : message.Signature == "say" ? "ok:" + ReadText(message) : "ok";
                    lock (Answers)
                    {
                        Answers.Add(answer);
                    }
                }
                continue;
            }
            var body = new DBusBodyReader(message.Body.Span);
            if (message.Path == DBusNames.ClipboardPath)
            {
                string call = message.Member switch
                {
                    "Grab" => $"Grab({body.ReadUInt32()},{body.ReadUInt32()},{Mimes(ref body)})",
                    "Request" => $"Request({body.ReadUInt32()},{Mimes(ref body)})",
                    _ => message.Member + "()",
                };
                lock (ClipboardCalls)
                {
                    ClipboardCalls.Add(call);
                }
                lock (_sendGate)
                {
                    if (message.Member == "Request")
                    {
                        if (RequestAnswer is { } answer)
                        {
                            answer(writer, message.Serial);
                        }
                        else
                        {
                            writer.BeginReturn(++serial, message.Serial, "say");
                            writer.WriteString(DBusNames.TextMime);
                            writer.WriteBytes(ClipboardText);
                        }
                    }
                    else
                    {
                        writer.BeginReturn(++serial, message.Serial, "");
                    }
                    connection.Send(writer.Finish());
                }
                continue;
            }
            switch (message.Member)
            {
                case "Hello":
                    writer.BeginReturn(++serial, message.Serial, "s");
                    writer.WriteString(":1.7");
                    break;
                case "Get":
                    writer.BeginReturn(++serial, message.Serial, "v");
                    writer.WriteSignature("b");
                    writer.WriteBoolean(_isAbsolute);
                    break;
                case "RegisterListener":
                    int listener = message.TakeFd(body.ReadUInt32());
                    _kept.Add(listener);
                    writer.BeginReturn(++serial, message.Serial, "");
                    connection.Send(writer.Finish());
                    QemuTestPeer.ServeAuth(listener);
                    ListenerFd = listener;
                    continue;
                default:
                    string args = message.Signature switch
                    {
                        "u" => body.ReadUInt32().ToString("x", null),
                        "uu" => $"{body.ReadUInt32()},{body.ReadUInt32()}",
                        "ii" => $"{body.ReadInt32()},{body.ReadInt32()}",
                        _ => message.Signature,
                    };
                    string iface = message.Interface ?? "";
                    lock (Calls)
                    {
                        Calls.Add($"{iface[(iface.LastIndexOf('.') + 1)..]}.{message.Member}({args})");
                    }
                    if (message.NoReplyExpected)
                    {
                        continue;
                    }
                    writer.BeginReturn(++serial, message.Serial, "");
                    break;
            }
            lock (_sendGate)
            {
                connection.Send(writer.Finish());
            }
        }
        _connection = null;
        message.Reset();
    }

    private static string Mimes(ref DBusBodyReader body)
    {
        var mimes = new List<string>();
        int end = body.BeginArray(4);
        while (body.Position < end)
        {
            mimes.Add(body.ReadString());
        }
        return string.Join('|', mimes);
    }

    private static string ReadText(DBusMessage message)
    {
        var body = new DBusBodyReader(message.Body.Span);
        string mime = body.ReadString();
        return mime + ":" + System.Text.Encoding.UTF8.GetString(body.ReadByteArray(int.MaxValue));
    }

    private static int Dup(int fd)
    {
        int copy = Tmds.Linux.LibC.dup(fd);
        Assert.True(copy >= 0);
        return copy;
    }
}
