using System.Diagnostics;
using System.Net.Sockets;
using WebConsole.Sources.Qemu;

namespace WebConsole.Tests.Sources.Qemu;

/// <summary>
/// A hostile stand-in for QEMU's QMP socket or a bus: it accepts every connection, plays along up
/// to one stage and then stays silent there (or floods), keeping the socket open until disposed.
/// </summary>
internal sealed class QemuHangingPeer : IDisposable
{
    private readonly Socket _server;
    private readonly Thread _thread;
    private readonly List<Socket> _clients = [];
    private readonly List<int> _kept = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private volatile bool _disposed;

    public QemuHangingPeer(QemuHangingStage stage)
    {
        Stage = stage;
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"webconsole-hang-{Guid.NewGuid():N}.sock");
        _server = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _server.Bind(new UnixDomainSocketEndPoint(Path));
        _server.Listen(8);
        _thread = new Thread(AcceptLoop) { IsBackground = true };
        _thread.Start();
    }

    public QemuHangingStage Stage { get; }

    public string Path { get; }

    /// <summary>The source to point at this peer.</summary>
    public QemuSourceTarget Target => Stage.ToString().StartsWith("Qmp", StringComparison.Ordinal)
        ? new QemuSourceTarget(QemuRoute.Qmp, Path, 0)
        : QemuSourceTarget.TryParse($"dbus=unix:path={Path}", out QemuSourceTarget? t, out string? e) ? t! : throw new InvalidOperationException(e);

    /// <summary>Set once a connection has reached the stage where the peer stops answering.</summary>
    public ManualResetEventSlim Hanging { get; } = new();

    /// <summary>When each connection was accepted, since the peer started.</summary>
    public List<TimeSpan> Accepts { get; } = [];

    public TimeSpan[] AcceptTimes()
    {
        lock (Accepts)
        {
            return [.. Accepts];
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _server.Dispose();
        lock (_clients)
        {
            foreach (Socket client in _clients)
            {
                client.Dispose();
            }
        }
        _thread.Join(TimeSpan.FromSeconds(5));
        foreach (int fd in _kept)
        {
            QemuNative.Close(fd);
        }
        File.Delete(Path);
    }

    private void AcceptLoop()
    {
        while (!_disposed)
        {
            Socket client;
            try
            {
                client = _server.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            lock (Accepts)
            {
                Accepts.Add(_clock.Elapsed);
            }
            lock (_clients)
            {
                _clients.Add(client);
            }
            new Thread(() =>
            {
                try
                {
                    Serve((int)client.Handle);
                }
                catch (Exception)
                {
                    // The source hung up or the test ended: a hostile peer has nothing to report.
                }
            })
            { IsBackground = true }.Start();
        }
    }

    private void Serve(int fd)
    {
        switch (Stage)
        {
            case QemuHangingStage.QmpSilent:
            case QemuHangingStage.BusSilent:
                Hanging.Set();
                return;
            case QemuHangingStage.QmpEndlessLine:
                Hanging.Set();
                Flood(fd, "{\"QMP\": \"");
                return;
            case QemuHangingStage.BusEndlessAuthLine:
                Hanging.Set();
                Flood(fd, "OK ");
                return;
        }
        QemuTestPeer.ServeAuth(fd);
        using var connection = new DBusConnection(Tmds.Linux.LibC.dup(fd), 1 << 20);
        var message = new DBusMessage();
        var writer = new DBusMessageWriter();
        uint serial = 1000;
        while (connection.TryReceive(message, -1, out _))
        {
            if (message.Type != DBusMessageType.MethodCall)
            {
                continue;
            }
            switch (message.Member)
            {
                case "Hello":
                    writer.BeginReturn(++serial, message.Serial, "s");
                    writer.WriteString(":1.9");
                    break;
                case "Get":
                    writer.BeginReturn(++serial, message.Serial, "v");
                    writer.WriteSignature("b");
                    writer.WriteBoolean(false);
                    break;
                case "RegisterListener" when Stage == QemuHangingStage.BusNoRegisterReply:
                    // Accepted and never answered.
                    _kept.Add(message.TakeFd(0));
                    Hanging.Set();
                    continue;
                case "RegisterListener":
                    // Answered, but the listener socket never hears AUTH's answer.
                    _kept.Add(message.TakeFd(0));
                    writer.BeginReturn(++serial, message.Serial, "");
                    connection.Send(writer.Finish());
                    Hanging.Set();
                    continue;
                default:
                    continue;
            }
            connection.Send(writer.Finish());
        }
    }

    /// <summary>A line that never ends: bytes until the source hangs up.</summary>
    private void Flood(int fd, string start)
    {
        Assert.Equal(0, QemuNative.Send(fd, System.Text.Encoding.ASCII.GetBytes(start)));
        byte[] chunk = new byte[4096];
        Array.Fill(chunk, (byte)'a');
        while (!_disposed && QemuNative.Send(fd, chunk) == 0)
        {
        }
    }
}
