using System.Globalization;

namespace WebConsole.Sources.Qemu;

/// <summary>
/// One D-Bus connection over a unix stream socket, as the authenticating client (EXTERNAL, with
/// descriptor passing): QEMU is the auth server both on the display connection and on the listener
/// socket it is given. Receives one message at a time into a buffer that grows only up to the
/// connection's limit; a message over the limit is skipped unread, so nothing QEMU claims sizes an
/// allocation past it. Sends are serialised by a lock; one thread receives.
/// </summary>
internal sealed class DBusConnection : IDisposable
{
    private readonly Lock _sendGate = new();
    private readonly Queue<int> _fds = new();
    private readonly long _maxBody;
    private readonly QemuPeerAbort? _abort;
    private readonly string _peer;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start, _end;
    private int _fd;
    private uint _serial;

    /// <summary>The longest SASL line accepted from the auth server; D-Bus's own are under 100 bytes.</summary>
    public const int MaxAuthLine = 1024;

    /// <summary>
    /// Owns <paramref name="fd"/>; message bodies over <paramref name="maxBody"/> bytes are skipped.
    /// <paramref name="peer"/> names the other side in reasons ("QEMU", "the bus"); <paramref name="abort"/>
    /// shuts the socket down when the source stops, ending any wait on it.
    /// </summary>
    public DBusConnection(int fd, long maxBody, string peer = "QEMU", QemuPeerAbort? abort = null)
    {
        _fd = fd;
        _maxBody = maxBody;
        _peer = peer;
        _abort = abort;
        abort?.Watch(fd);
    }

    /// <summary>The receive buffer's size: it grows only for messages within the limit.</summary>
    internal int BufferCapacity => _buffer.Length;

    /// <summary>Bytes received, headers included.</summary>
    public long BytesReceived { get; private set; }

    /// <summary>Descriptors received that no message claimed, or over the per-receive limit: closed.</summary>
    public int FdsDropped { get; private set; }

    public uint NextSerial()
    {
        uint serial = Interlocked.Increment(ref _serial);
        return serial == 0 ? Interlocked.Increment(ref _serial) : serial;
    }

    /// <summary>
    /// The SASL exchange, all of it within <paramref name="timeout"/>; throws <see cref="IOException"/>
    /// with the server's answer when it fails, or with what did not come in time.
    /// </summary>
    public void Authenticate(TimeSpan timeout)
    {
        string uid = NativeUidHex();
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        SendRaw("\0AUTH EXTERNAL " + uid + "\r\n");
        string answer = ReadLine("AUTH", deadline, timeout);
        if (!answer.StartsWith("OK ", StringComparison.Ordinal))
        {
            throw new IOException($"D-Bus authentication refused: {Truncate(answer)}");
        }
        SendRaw("NEGOTIATE_UNIX_FD\r\n");
        answer = ReadLine("NEGOTIATE_UNIX_FD", deadline, timeout);
        if (!answer.StartsWith("AGREE_UNIX_FD", StringComparison.Ordinal))
        {
            throw new IOException($"D-Bus peer does not pass file descriptors: {Truncate(answer)}");
        }
        SendRaw("BEGIN\r\n");
    }

    /// <summary>
    /// Receives the next message into <paramref name="message"/>. True with <paramref name="rejection"/>
    /// null: a message; true with a rejection: a message was skipped (over the size limit or malformed)
    /// and the connection goes on (a skipped message over the size limit still has its header
    /// fields in <paramref name="message"/>, its body empty); false: closed, timed out or unusable (the reason in
    /// <paramref name="rejection"/>).
    /// </summary>
    public bool TryReceive(DBusMessage message, int timeoutMs, out string? rejection)
    {
        message.Reset();
        rejection = null;
        if (!Fill(DBusMessageParser.FixedHeaderSize, timeoutMs, out string? why))
        {
            rejection = why;
            return false;
        }
        ReadOnlySpan<byte> fixedHeader = _buffer.AsSpan(_start, DBusMessageParser.FixedHeaderSize);
        if (!DBusMessageParser.TryMeasure(fixedHeader, _maxBody, out long total, out int headerSize, out bool tooLarge, out string? error))
        {
            rejection = error;
            return false;
        }
        if (tooLarge)
        {
            // The header is read (it is bounded) so that a caller waiting for this reply learns
            // that it was refused; the body is read and forgotten.
            if (!Fill(headerSize, timeoutMs, out why))
            {
                rejection = why;
                return false;
            }
            try
            {
                DBusMessageParser.Parse(new ReadOnlyMemory<byte>(_buffer, _start, headerSize), headerSize, message);
            }
            catch (DBusFormatException)
            {
                message.Reset();
            }
            message.Body = default;
            _start += headerSize;
            if (!Discard(total - headerSize, timeoutMs, out why))
            {
                rejection = why;
                return false;
            }
            rejection = error;
            return true;
        }
        if (!Fill((int)total, timeoutMs, out why))
        {
            rejection = why;
            return false;
        }
        var bytes = new ReadOnlyMemory<byte>(_buffer, _start, (int)total);
        _start += (int)total;
        try
        {
            DBusMessageParser.Parse(bytes, headerSize, message);
        }
        catch (DBusFormatException e)
        {
            message.Reset();
            rejection = e.Message;
            return true;
        }
        // Descriptors arrive no later than the bytes they were sent with; a message takes as many
        // as its header says. Strays stay queued (the queue is capped) and are closed at the end.
        if (message.UnixFds > _fds.Count || message.UnixFds > QemuNative.MaxFdsPerReceive)
        {
            rejection = $"message claims {message.UnixFds} descriptors, {_fds.Count} came";
            message.Reset();
            return true;
        }
        for (uint i = 0; i < message.UnixFds; i++)
        {
            message.AddFd(_fds.Dequeue());
        }
        return true;
    }

    /// <summary>Sends a finished message, with <paramref name="passFd"/> attached when it is not -1.</summary>
    public void Send(ReadOnlySpan<byte> message, int passFd = -1)
    {
        lock (_sendGate)
        {
            int error = QemuNative.Send(_fd, message, passFd);
            if (error != 0)
            {
                throw new IOException(error == 11
                    ? $"{_peer} did not read what was sent to it within {QmpClient.Seconds(QemuNative.SendTimeout)}"
                    : $"D-Bus send failed: errno {error}");
            }
        }
    }

    /// <summary>Builds and sends a message with the connection's writer under the send lock.</summary>
    public void Send(DBusMessageWriter writer, Action<DBusMessageWriter> build, int passFd = -1)
    {
        lock (_sendGate)
        {
            build(writer);
            Send(writer.Finish(), passFd);
        }
    }

    /// <summary>Wakes a blocked receive (it returns false); the descriptor stays open until <see cref="Dispose"/>.</summary>
    public void Shutdown() => QemuNative.Shutdown(_fd);

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            _abort?.Forget(fd);
        }
        QemuNative.Close(fd);
        DropFds();
    }

    private void SendRaw(string text) => Send(System.Text.Encoding.ASCII.GetBytes(text));

    /// <summary>The auth server's answer to <paramref name="command"/>, complete by <paramref name="deadline"/> (TickCount64).</summary>
    private string ReadLine(string command, long deadline, TimeSpan timeout)
    {
        while (true)
        {
            int newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                string line = System.Text.Encoding.ASCII.GetString(_buffer, _start, newline).TrimEnd('\r');
                _start += newline + 1;
                return line;
            }
            if (_end - _start > MaxAuthLine)
            {
                throw new IOException($"{_peer} answered {command} with a line longer than {MaxAuthLine} bytes");
            }
            long left = deadline - Environment.TickCount64;
            if (left <= 0)
            {
                throw new IOException($"{_peer} did not answer {command} within {QmpClient.Seconds(timeout)}");
            }
            // No more than the rest of a legal line is read, whatever the peer has queued.
            if (!FillMore((int)left, out string? why, MaxAuthLine + 1 - (_end - _start)))
            {
                throw new IOException(why == "timed out"
                    ? $"{_peer} did not answer {command} within {QmpClient.Seconds(timeout)}"
                    : $"D-Bus authentication with {_peer}: {why}");
            }
        }
    }

    /// <summary>Makes at least <paramref name="count"/> bytes available from <c>_start</c>.</summary>
    private bool Fill(int count, int timeoutMs, out string? why)
    {
        why = null;
        if (count > _buffer.Length)
        {
            // Grown only to a measured, bounded message size.
            long limit = DBusMessageParser.FixedHeaderSize + DBusMessageParser.MaxHeaderFieldsSize + 8 + _maxBody;
            var bigger = new byte[(int)Math.Min(Math.Max(count, _buffer.Length * 2L), Math.Min(limit, Array.MaxLength))];
            Buffer.BlockCopy(_buffer, _start, bigger, 0, _end - _start);
            _end -= _start;
            _start = 0;
            _buffer = bigger;
        }
        else if (_start + count > _buffer.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        while (_end - _start < count)
        {
            if (!FillMore(timeoutMs, out why))
            {
                return false;
            }
        }
        return true;
    }

    private bool FillMore(int timeoutMs, out string? why, int most = int.MaxValue)
    {
        why = null;
        if (_end == _buffer.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (timeoutMs >= 0 && !QemuNative.WaitReadable(_fd, timeoutMs))
        {
            why = "timed out";
            return false;
        }
        Span<byte> room = _buffer.AsSpan(_end);
        int error = QemuNative.Receive(_fd, room[..Math.Min(room.Length, most)], _fds, out int received, out int dropped);
        FdsDropped += dropped;
        if (error != 0)
        {
            why = $"receive failed: errno {error}";
            return false;
        }
        if (received == 0)
        {
            why = _abort?.IsAborted == true ? "stopped" : "the peer closed the connection";
            return false;
        }
        _end += received;
        BytesReceived += received;
        return true;
    }

    /// <summary>Reads and forgets <paramref name="total"/> bytes of an oversized message.</summary>
    private bool Discard(long total, int timeoutMs, out string? why)
    {
        why = null;
        while (total > 0)
        {
            if (_end == _start)
            {
                _start = _end = 0;
                if (!FillMore(timeoutMs, out why))
                {
                    return false;
                }
            }
            int take = (int)Math.Min(total, _end - _start);
            _start += take;
            total -= take;
        }
        return true;
    }

    private void DropFds()
    {
        while (_fds.Count > 0)
        {
            QemuNative.Close(_fds.Dequeue());
            FdsDropped++;
        }
    }

    private static string NativeUidHex()
    {
        string uid = QemuNative.UserId().ToString(CultureInfo.InvariantCulture);
        return Convert.ToHexStringLower(System.Text.Encoding.ASCII.GetBytes(uid));
    }

    private static string Truncate(string text) => text.Length > 80 ? text[..80] : text;
}
