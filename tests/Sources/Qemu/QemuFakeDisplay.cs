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
        using var connection = new DBusConnection(Dup(fd), 1 << 20);
        var message = new DBusMessage();
        var writer = new DBusMessageWriter();
        uint serial = 1000;
        while (connection.TryReceive(message, -1, out string? rejection))
        {
            Assert.Null(rejection);
            if (message.Type != DBusMessageType.MethodCall)
            {
                continue;
            }
            var body = new DBusBodyReader(message.Body.Span);
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
            connection.Send(writer.Finish());
        }
        message.Reset();
    }

    private static int Dup(int fd)
    {
        int copy = Tmds.Linux.LibC.dup(fd);
        Assert.True(copy >= 0);
        return copy;
    }
}
