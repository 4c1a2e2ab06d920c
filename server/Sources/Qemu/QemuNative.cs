using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace WebConsole.Sources.Qemu;

/// <summary>
/// The libc calls the qemu source needs: unix stream sockets that carry file descriptors
/// (SCM_RIGHTS), and the memfd QEMU shares (seals, size, mapping, pread). Each returns 0 or an errno.
/// </summary>
internal static unsafe class QemuNative
{
    /// <summary>Most descriptors one receive may carry; more are closed and reported.</summary>
    public const int MaxFdsPerReceive = 8;

    public static int SocketPair(out int first, out int second)
    {
        int* fds = stackalloc int[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        {
            first = second = -1;
            return errno;
        }
        first = fds[0];
        second = fds[1];
        SetSendTimeout(first);
        return 0;
    }

    /// <summary>Connects to a unix socket at <paramref name="path"/> (or the abstract name when <paramref name="isAbstract"/>).</summary>
    public static int Connect(string path, bool isAbstract, out int fd)
    {
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            return errno;
        }
        sockaddr_un address = default;
        address.sun_family = AF_UNIX;
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(path);
        int offset = isAbstract ? 1 : 0;
        if (bytes.Length + offset >= 108)
        {
            Close(fd);
            fd = -1;
            return ENAMETOOLONG;
        }
        for (int i = 0; i < bytes.Length; i++)
        {
            address.sun_path[i + offset] = bytes[i];
        }
        int length = 2 + offset + bytes.Length + (isAbstract ? 0 : 1);
        // Non-blocking: a unix connect blocks while the listener's backlog is full (a peer that
        // never accepts); then it fails at once with EAGAIN instead.
        int flags = fcntl(fd, F_GETFL);
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        if (connect(fd, (sockaddr*)&address, (uint)length) != 0)
        {
            int error = errno;
            Close(fd);
            fd = -1;
            return error;
        }
        _ = fcntl(fd, F_SETFL, flags);
        SetSendTimeout(fd);
        return 0;
    }

    /// <summary>How long one send may wait for a peer that does not read: then it fails with EAGAIN.</summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(5);

    private static void SetSendTimeout(int fd)
    {
        // struct timeval on 64-bit Linux: tv_sec, tv_usec, both 8 bytes.
        long* limit = stackalloc long[2];
        limit[0] = (long)SendTimeout.TotalSeconds;
        limit[1] = 0;
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, limit, 2 * sizeof(long));
    }

    /// <summary>Sends all of <paramref name="data"/>, with <paramref name="passFd"/> (when not -1) attached to its first byte.</summary>
    public static int Send(int fd, ReadOnlySpan<byte> data, int passFd = -1)
    {
        int space = CMSG_SPACE(sizeof(int));
        byte* control = stackalloc byte[space];
        new Span<byte>(control, space).Clear();
        while (data.Length > 0)
        {
            long sent;
            fixed (byte* p = data)
            {
                iovec io = new() { iov_base = p, iov_len = data.Length };
                msghdr message = new() { msg_iov = &io, msg_iovlen = 1 };
                if (passFd >= 0)
                {
                    message.msg_control = control;
                    message.msg_controllen = space;
                    cmsghdr* header = CMSG_FIRSTHDR(&message);
                    header->cmsg_level = SOL_SOCKET;
                    header->cmsg_type = SCM_RIGHTS;
                    header->cmsg_len = ControlLength(sizeof(int));
                    *(int*)CMSG_DATA(header) = passFd;
                }
                sent = sendmsg(fd, &message, MSG_NOSIGNAL);
            }
            if (sent < 0)
            {
                int error = errno;
                if (error == EINTR)
                {
                    continue;
                }
                return error;
            }
            passFd = -1;
            data = data[(int)sent..];
        }
        return 0;
    }

    /// <summary>
    /// Receives into <paramref name="buffer"/>; descriptors that came with the bytes are added to
    /// <paramref name="fds"/> (at most <see cref="MaxFdsPerReceive"/>; the rest are closed and
    /// counted in <paramref name="dropped"/>). 0 bytes: the peer closed.
    /// </summary>
    public static int Receive(int fd, Span<byte> buffer, Queue<int> fds, out int received, out int dropped)
    {
        int space = CMSG_SPACE(sizeof(int) * MaxFdsPerReceive);
        byte* control = stackalloc byte[space];
        dropped = 0;
        while (true)
        {
            long n;
            msghdr message;
            fixed (byte* p = buffer)
            {
                iovec io = new() { iov_base = p, iov_len = buffer.Length };
                message = new() { msg_iov = &io, msg_iovlen = 1, msg_control = control, msg_controllen = space };
                n = recvmsg(fd, &message, MSG_CMSG_CLOEXEC);
            }
            if (n < 0)
            {
                int error = errno;
                if (error == EINTR)
                {
                    continue;
                }
                received = 0;
                return error;
            }
            for (cmsghdr* header = CMSG_FIRSTHDR(&message); header is not null; header = CMSG_NXTHDR(&message, header))
            {
                if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS)
                {
                    continue;
                }
                int count = ((int)header->cmsg_len - ControlLength(0)) / sizeof(int);
                int* passed = (int*)CMSG_DATA(header);
                for (int i = 0; i < count; i++)
                {
                    if (fds.Count < MaxFdsPerReceive)
                    {
                        fds.Enqueue(passed[i]);
                    }
                    else
                    {
                        Close(passed[i]);
                        dropped++;
                    }
                }
            }
            if ((message.msg_flags & MSG_CTRUNC) != 0)
            {
                dropped++;
            }
            received = (int)n;
            return 0;
        }
    }

    /// <summary>
    /// C's <c>CMSG_LEN(n)</c>: the aligned header plus <paramref name="data"/> bytes, without the
    /// trailing padding. Tmds.Linux's <c>CMSG_LEN</c> pads the data to 8 bytes, so one descriptor
    /// was sent as a cmsg of two: the kernel passed ours and whatever the next 4 zero bytes named,
    /// descriptor 0. A bus daemon queues the extra descriptor and hands it with the next message
    /// that carries one: the second RegisterListener on a bus got our stdin ("Socket operation on
    /// non-socket").
    /// </summary>
    public static int ControlLength(int data) => ((sizeof(cmsghdr) + 7) & ~7) + data;

    /// <summary>Waits until <paramref name="fd"/> is readable or <paramref name="timeoutMs"/> passes; false on timeout.</summary>
    public static bool WaitReadable(int fd, int timeoutMs)
    {
        pollfd p = new() { fd = fd, events = POLLIN };
        while (true)
        {
            int n = poll(&p, 1, timeoutMs);
            if (n < 0 && errno == EINTR)
            {
                continue;
            }
            return n != 0;
        }
    }

    public static void Shutdown(int fd)
    {
        if (fd >= 0)
        {
            _ = shutdown(fd, SHUT_RDWR);
        }
    }

    /// <summary>Closes a descriptor (ignores -1): <see cref="WebConsole.Region.NativeFile.Close"/>.</summary>
    public static void Close(int fd) => WebConsole.Region.NativeFile.Close(fd);

    /// <summary>The seals of a memfd (F_GET_SEALS); -1 for a descriptor that is not one.</summary>
    public static int Seals(int fd) => fcntl(fd, F_GET_SEALS);

    public static bool IsShrinkSealed(int fd)
    {
        int seals = Seals(fd);
        return seals >= 0 && (seals & F_SEAL_SHRINK) != 0;
    }

    /// <summary>The size of the file behind <paramref name="fd"/>, or -1 when it cannot be read.</summary>
    public static long Size(int fd)
    {
        stat st;
        return fstat(fd, &st) == 0 ? st.st_size : -1;
    }

    public static uint UserId() => getuid();
    /// <summary>True when <paramref name="fd"/> is an AF_UNIX stream socket (what a handed D-Bus connection must be).</summary>
    public static bool IsUnixStreamSocket(int fd)
    {
        const int SoDomain = 39; // SO_DOMAIN, asm-generic/socket.h
        int value = 0;
        socklen_t length = sizeof(int);
        if (getsockopt(fd, SOL_SOCKET, SoDomain, &value, &length) != 0 || value != AF_UNIX)
        {
            return false;
        }
        length = sizeof(int);
        return getsockopt(fd, SOL_SOCKET, SO_TYPE, &value, &length) == 0 && value == SOCK_STREAM;
    }

    /// <summary>A socket another process handed over (libvirt's graphics descriptor): close-on-exec, and sends that give up.</summary>
    public static void PrepareHandedSocket(int fd)
    {
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC);
        SetSendTimeout(fd);
    }

    /// <summary>The owner of the file at <paramref name="path"/> (e.g. a bus socket), or an errno.</summary>
    public static int OwnerOf(string path, out uint owner)
    {
        owner = 0;
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        stat st;
        fixed (byte* name = bytes)
        {
            if (stat(name, &st) != 0)
            {
                return errno;
            }
        }
        owner = st.st_uid;
        return 0;
    }

    public static uint EffectiveUserId() => geteuid();
}
