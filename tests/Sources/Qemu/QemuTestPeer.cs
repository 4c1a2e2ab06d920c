using WebConsole.Sources.Qemu;
using static Tmds.Linux.LibC;

namespace WebConsole.Tests.Sources.Qemu;

/// <summary>
/// Plays QEMU's side of a listener socket for tests: the D-Bus auth server (EXTERNAL, fd passing),
/// then method calls on <c>/org/qemu/Display1/Listener</c> built with the source's own writer, and
/// it reads back what the listener answers.
/// </summary>
internal sealed unsafe class QemuTestPeer : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private readonly int _fd;
    private readonly DBusConnection _receiver;
    private readonly DBusMessageWriter _writer = new();
    private readonly DBusMessage _message = new();
    private readonly Thread _thread;
    private uint _serial;

    /// <summary>A listener on one end of a socketpair, running on its own thread; the peer on the other end.</summary>
    public QemuTestPeer(QemuSurface surface, bool offerMap = true, long maxBody = 64L * 1024 * 1024)
    {
        Assert.Equal(0, QemuNative.SocketPair(out int ours, out _fd));
        Listener = new QemuListener(ours, surface, offerMap, maxBody);
        Listener.Rejected += r =>
        {
            lock (Rejections)
            {
                Rejections.Add(r);
            }
        };
        _thread = new Thread(() => EndReason = Listener.Run(s_timeout)) { IsBackground = true };
        _thread.Start();
        Handshake();
        _receiver = new DBusConnection(DuplicateFd(_fd), 1 << 20);
    }

    public QemuListener Listener { get; }

    public List<string> Rejections { get; } = [];

    public string? EndReason { get; private set; }

    public int Fd => _fd;

    /// <summary>Sends a call to the listener; <paramref name="body"/> writes its arguments.</summary>
    public uint Call(string member, string signature, Action<DBusMessageWriter>? body = null, bool noReply = true,
        string @interface = DBusNames.ListenerInterface, int passFd = -1, string path = DBusNames.ListenerPath)
    {
        uint serial = ++_serial;
        _writer.BeginMethodCall(serial, null, path, @interface, member, signature, noReply, passFd >= 0 ? 1u : 0u);
        body?.Invoke(_writer);
        Send(_writer.Finish(), passFd);
        return serial;
    }

    public void Send(ReadOnlySpan<byte> bytes, int passFd = -1) => Assert.Equal(0, QemuNative.Send(_fd, bytes, passFd));

    /// <summary>The listener's answer to the call with <paramref name="serial"/>.</summary>
    public DBusMessage Reply(uint serial)
    {
        while (true)
        {
            Assert.True(_receiver.TryReceive(_message, (int)s_timeout.TotalMilliseconds, out string? rejection), rejection);
            Assert.Null(rejection);
            if (_message.ReplySerial == serial)
            {
                return _message;
            }
        }
    }

    /// <summary>Waits until every call sent so far has been handled (a Ping round trip).</summary>
    public void Sync()
    {
        uint serial = Call("Ping", "", noReply: false, @interface: DBusNames.PeerInterface);
        Assert.Equal(DBusMessageType.MethodReturn, Reply(serial).Type);
    }

    public void Dispose()
    {
        QemuNative.Shutdown(_fd);
        _thread.Join(s_timeout);
        Listener.Dispose();
        _receiver.Dispose();
        QemuNative.Close(_fd);
        _message.Reset();
    }

    /// <summary>A memfd holding <paramref name="data"/>, sealed against shrinking when <paramref name="seal"/>.</summary>
    public static int CreateMemfd(ReadOnlySpan<byte> data, bool seal)
    {
        byte[] name = System.Text.Encoding.ASCII.GetBytes("webconsole-test\0");
        int fd;
        fixed (byte* p = name)
        {
            fd = memfd_create(p, MFD_CLOEXEC | MFD_ALLOW_SEALING);
        }
        Assert.True(fd >= 0);
        fixed (byte* p = data)
        {
            Assert.Equal(data.Length, (long)write(fd, p, data.Length));
        }
        if (seal)
        {
            Assert.Equal(0, fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW));
        }
        return fd;
    }

    public static void Truncate(int fd, long length) => Assert.Equal(0, ftruncate(fd, length));

    public static void WriteAt(int fd, long offset, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            Assert.Equal(data.Length, (long)pwrite(fd, p, data.Length, offset));
        }
    }

    private static int DuplicateFd(int fd)
    {
        int copy = dup(fd);
        Assert.True(copy >= 0);
        return copy;
    }

    private void Handshake() => ServeAuth(_fd);

    /// <summary>The auth server's side of the SASL exchange on <paramref name="fd"/>, as QEMU (or a bus) plays it.</summary>
    public static void ServeAuth(int fd)
    {
        string first = ReadLine(fd);
        Assert.StartsWith("\0AUTH EXTERNAL ", first, StringComparison.Ordinal);
        SendText(fd, "OK 0123456789abcdef0123456789abcdef\r\n");
        Assert.Equal("NEGOTIATE_UNIX_FD", ReadLine(fd));
        SendText(fd, "AGREE_UNIX_FD\r\n");
        Assert.Equal("BEGIN", ReadLine(fd));
    }

    private static void SendText(int fd, string text) => Assert.Equal(0, QemuNative.Send(fd, System.Text.Encoding.ASCII.GetBytes(text)));

    private static string ReadLine(int fd)
    {
        var line = new System.Text.StringBuilder();
        Span<byte> one = stackalloc byte[1];
        var fds = new Queue<int>();
        while (true)
        {
            Assert.True(QemuNative.WaitReadable(fd, (int)s_timeout.TotalMilliseconds), "the listener said nothing");
            Assert.Equal(0, QemuNative.Receive(fd, one, fds, out int received, out _));
            Assert.Equal(1, received);
            if (one[0] == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }
            line.Append((char)one[0]);
        }
    }
}
