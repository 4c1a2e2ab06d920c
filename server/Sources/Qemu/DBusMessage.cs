namespace WebConsole.Sources.Qemu;

/// <summary>
/// One received D-Bus message: its header fields, its body (a slice of the connection's receive
/// buffer, valid until the next receive) and the descriptors it carried. Reused by a connection
/// for every message, so receiving allocates nothing per message.
/// </summary>
internal sealed class DBusMessage
{
    private readonly List<int> _fds = new(QemuNative.MaxFdsPerReceive);

    public DBusMessageType Type { get; set; }

    public byte Flags { get; set; }

    public uint Serial { get; set; }

    public uint ReplySerial { get; set; }

    public string? Path { get; set; }

    public string? Interface { get; set; }

    public string? Member { get; set; }

    public string? ErrorName { get; set; }

    /// <summary>The sender's unique name (on a bus; null peer to peer): where an answer goes.</summary>
    public string? Sender { get; set; }

    public string Signature { get; set; } = "";

    /// <summary>How many descriptors the header says came with the message.</summary>
    public uint UnixFds { get; set; }

    public ReadOnlyMemory<byte> Body { get; set; }

    /// <summary>The descriptors the message carried; owned by the message until taken with <see cref="TakeFd"/>.</summary>
    public IReadOnlyList<int> Fds => _fds;

    public bool NoReplyExpected => (Flags & DBusMessageWriter.FlagNoReplyExpected) != 0;

    public void AddFd(int fd) => _fds.Add(fd);

    /// <summary>Takes descriptor <paramref name="index"/> (a D-Bus handle); -1 when there is none. The caller closes it.</summary>
    public int TakeFd(uint index)
    {
        if (index >= _fds.Count || _fds[(int)index] < 0)
        {
            return -1;
        }
        int fd = _fds[(int)index];
        _fds[(int)index] = -1;
        return fd;
    }

    /// <summary>Closes the descriptors nobody took and forgets the message.</summary>
    public void Reset()
    {
        foreach (int fd in _fds)
        {
            QemuNative.Close(fd);
        }
        _fds.Clear();
        Type = DBusMessageType.Invalid;
        Flags = 0;
        Serial = ReplySerial = UnixFds = 0;
        Path = Interface = Member = ErrorName = Sender = null;
        Signature = "";
        Body = default;
    }
}
