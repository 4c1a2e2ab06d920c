using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace WebConsole.Sources.X11;

/// <summary>
/// One XCB connection to one screen of an X server: the screen's root window, size and pixel
/// layout read from the connection setup, which of DAMAGE, XFixes and MIT-SHM it has, and its
/// events (damage, root ConfigureNotify after a RandR size change, cursor changes).
/// </summary>
/// <remarks>
/// The X server is a peer like any producer: the setup block is parsed with every offset checked
/// against its length, sizes are checked before anything is allocated from them, and a server that
/// goes away only makes <see cref="HasFailed"/> true. Used by one thread (the capture loop).
/// </remarks>
internal sealed unsafe class X11Connection : IDisposable
{
    private const int SetupFixedSize = 40;
    private const int ScreenFixedSize = 40;
    private nint _c;
    private byte* _held;

    private readonly PeerDeadline _deadline;

    private X11Connection(nint c, PeerDeadline deadline)
    {
        _c = c;
        _deadline = deadline;
    }

    /// <summary>The deadline watching this connection's socket (shared with the source that opened it).</summary>
    public PeerDeadline Deadline => _deadline;

    public nint Handle => _c;

    public uint Root { get; private set; }

    public int Width { get; private set; }

    public int Height { get; private set; }

    public int Depth { get; private set; }

    public PixelLayout Layout { get; private set; }

    /// <summary>The first event number of DAMAGE, or -1 when the server lacks it.</summary>
    public int DamageEvent { get; private set; } = -1;

    /// <summary>The first event number of XFixes (version 2 or later), or -1.</summary>
    public int XfixesEvent { get; private set; } = -1;

    public bool HasShm { get; private set; }

    /// <summary>The connection broke (the server exited, or sent something libxcb refused).</summary>
    public bool HasFailed => _c == 0 || XcbNative.xcb_connection_has_error(_c) != 0;

    /// <summary>
    /// Connects to <paramref name="display"/> (<c>:99</c>, <c>:99.1</c>, <c>host:1</c>) and reads its
    /// screen, each step within <paramref name="timeout"/> (<paramref name="deadline"/> shuts the
    /// socket of a server that stops answering); null with a reason for the status line when the
    /// server cannot be reached, does not answer, or has no screen a console can show.
    /// </summary>
    public static X11Connection? TryOpen(string display, PeerDeadline deadline, TimeSpan timeout, out string? reason)
    {
        if (!X11DisplayName.TryParse(display, out X11DisplayName? name))
        {
            reason = $"{display} is not an X display name";
            return null;
        }
        int fd = X11Socket.Connect(name!, timeout, out string? socketReason);
        if (fd < 0)
        {
            reason = $"cannot connect to X display {display} ({socketReason})";
            return null;
        }
        if (!deadline.Watch(fd))
        {
            WebConsole.Region.NativeFile.Close(fd);
            reason = "stopping";
            return null;
        }
        nint c;
        deadline.Arm("the connection setup", timeout);
        try
        {
            (byte[] Name, byte[] Data)? cookie = X11Socket.FindCookie(name!);
            fixed (byte* authName = cookie?.Name, authData = cookie?.Data)
            {
                var auth = new XcbNative.AuthInfo
                {
                    NameLength = cookie?.Name.Length ?? 0,
                    Name = authName,
                    DataLength = cookie?.Data.Length ?? 0,
                    Data = authData,
                };
                c = XcbNative.xcb_connect_to_fd(fd, cookie is null ? null : &auth); // owns fd from here, even on failure
            }
        }
        finally
        {
            deadline.Disarm();
        }
        if (c == 0 || XcbNative.xcb_connection_has_error(c) != 0)
        {
            if (c != 0)
            {
                XcbNative.xcb_disconnect(c);
            }
            reason = deadline.Expired is string expired
                ? $"X display {display} did not answer {expired}"
                : $"X display {display} refused the connection setup (access control? see XAUTHORITY)";
            deadline.Release();
            return null;
        }
        var connection = new X11Connection(c, deadline);
        reason = connection.ReadSetup(name!.Screen);
        if (reason is not null)
        {
            connection.Dispose();
            return null;
        }
        deadline.Arm("QueryExtension", timeout);
        try
        {
            connection.QueryExtensions();
        }
        finally
        {
            deadline.Disarm();
        }
        if (connection.HasFailed)
        {
            reason = deadline.Expired is string expired ? $"X display {display} did not answer {expired}" : $"X display {display} closed the connection";
            connection.Dispose();
            return null;
        }
        return connection;
    }

    /// <summary>Finds the screen's root, size and pixel layout in the setup block; a reason when it cannot.</summary>
    private string? ReadSetup(int screenNumber)
    {
        byte* setup = XcbNative.xcb_get_setup(_c);
        if (setup == null)
        {
            return "the X server sent no setup";
        }
        // length (at 6) counts 4-byte units after the first 8 bytes.
        int length = 8 + 4 * BinaryPrimitives.ReadUInt16LittleEndian(new ReadOnlySpan<byte>(setup + 6, 2));
        var s = new ReadOnlySpan<byte>(setup, length);
        if (length < SetupFixedSize)
        {
            return "the X server's setup is too short";
        }
        int vendorLength = BinaryPrimitives.ReadUInt16LittleEndian(s[24..]);
        int screens = s[28], formats = s[29];
        bool bigEndian = s[30] != 0;
        int offset = SetupFixedSize + Pad4(vendorLength);
        int formatsAt = offset;
        offset += formats * 8;
        if (offset > length)
        {
            return "the X server's setup is truncated";
        }
        if (screenNumber < 0 || screenNumber >= screens)
        {
            return $"the X server has no screen {screenNumber} (it has {screens})";
        }
        for (int i = 0; ; i++)
        {
            if (offset + ScreenFixedSize > length)
            {
                return "the X server's setup is truncated";
            }
            ReadOnlySpan<byte> screen = s[offset..];
            int depthsCount = screen[39];
            int at = offset + ScreenFixedSize;
            uint visualMasksR = 0, visualMasksG = 0, visualMasksB = 0;
            bool visualFound = false;
            uint rootVisual = BinaryPrimitives.ReadUInt32LittleEndian(screen[32..]);
            for (int d = 0; d < depthsCount; d++)
            {
                if (at + 8 > length)
                {
                    return "the X server's setup is truncated";
                }
                int visuals = BinaryPrimitives.ReadUInt16LittleEndian(s[(at + 2)..]);
                at += 8;
                for (int v = 0; v < visuals; v++)
                {
                    if (at + 24 > length)
                    {
                        return "the X server's setup is truncated";
                    }
                    if (i == screenNumber && BinaryPrimitives.ReadUInt32LittleEndian(s[at..]) == rootVisual)
                    {
                        visualFound = s[at + 4] == 4; // TrueColor
                        visualMasksR = BinaryPrimitives.ReadUInt32LittleEndian(s[(at + 8)..]);
                        visualMasksG = BinaryPrimitives.ReadUInt32LittleEndian(s[(at + 12)..]);
                        visualMasksB = BinaryPrimitives.ReadUInt32LittleEndian(s[(at + 16)..]);
                    }
                    at += 24;
                }
            }
            if (i == screenNumber)
            {
                Root = BinaryPrimitives.ReadUInt32LittleEndian(screen);
                Width = BinaryPrimitives.ReadUInt16LittleEndian(screen[20..]);
                Height = BinaryPrimitives.ReadUInt16LittleEndian(screen[22..]);
                Depth = screen[38];
                if (!visualFound)
                {
                    return $"screen {screenNumber}'s root visual is not TrueColor";
                }
                int bitsPerPixel = 0;
                for (int f = 0; f < formats; f++)
                {
                    if (s[formatsAt + f * 8] == Depth)
                    {
                        bitsPerPixel = s[formatsAt + f * 8 + 1];
                    }
                }
                if (!PixelLayout.TryFromMasks(bitsPerPixel, visualMasksR, visualMasksG, visualMasksB, bigEndian, out PixelLayout layout))
                {
                    return $"depth {Depth} at {bitsPerPixel} bits per pixel is not a pixel layout the console can show";
                }
                Layout = layout;
                return null;
            }
            offset = at;
        }
    }

    private void QueryExtensions()
    {
        if (Present(XcbNative.DamageExtension, out int damageEvent))
        {
            byte* reply = XcbNative.xcb_damage_query_version_reply(_c, XcbNative.xcb_damage_query_version(_c, 1, 1), 0);
            if (reply != null)
            {
                DamageEvent = damageEvent;
                NativeMemory.Free(reply);
            }
        }
        if (Present(XcbNative.XfixesExtension, out int xfixesEvent))
        {
            // DAMAGE needs XFixes regions, and both need their version asked first.
            byte* reply = XcbNative.xcb_xfixes_query_version_reply(_c, XcbNative.xcb_xfixes_query_version(_c, 5, 0), 0);
            if (reply != null)
            {
                if (BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(reply + 8, 4)) >= 2)
                {
                    XfixesEvent = xfixesEvent;
                }
                NativeMemory.Free(reply);
            }
        }
        if (XfixesEvent < 0)
        {
            DamageEvent = -1;
        }
        if (Present(XcbNative.ShmExtension, out _))
        {
            byte* reply = XcbNative.xcb_shm_query_version_reply(_c, XcbNative.xcb_shm_query_version(_c), 0);
            if (reply != null)
            {
                HasShm = true;
                NativeMemory.Free(reply);
            }
        }
    }

    private bool Present(nint extension, out int firstEvent)
    {
        firstEvent = -1;
        if (extension == 0)
        {
            return false;
        }
        byte* data = XcbNative.xcb_get_extension_data(_c, extension);
        if (data == null || data[8] == 0)
        {
            return false;
        }
        firstEvent = data[10];
        return true;
    }

    /// <summary>Asks for StructureNotify on the root window: a RandR size change sends ConfigureNotify.</summary>
    public bool WatchRootSize()
    {
        uint mask = XcbNative.EventMaskStructureNotify;
        return Check(XcbNative.xcb_change_window_attributes_checked(_c, Root, XcbNative.CwEventMask, &mask));
    }

    /// <summary>Sends a checked request's cookie and waits for its outcome: true when the server did not refuse it.</summary>
    public bool Check(uint cookie)
    {
        byte* error = XcbNative.xcb_request_check(_c, cookie);
        if (error == null)
        {
            return !HasFailed;
        }
        NativeMemory.Free(error);
        return false;
    }

    public uint NewId() => XcbNative.xcb_generate_id(_c);

    public void Flush() => _ = XcbNative.xcb_flush(_c);

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for an event; true when one is there (queued by libxcb
    /// while it read a reply, or readable on the socket) or the connection broke.
    /// </summary>
    public bool Wait(TimeSpan timeout, WakeFd? wake = null)
    {
        if (HasFailed)
        {
            return true;
        }
        if (_held == null)
        {
            _held = XcbNative.xcb_poll_for_queued_event(_c);
        }
        if (_held != null)
        {
            return true;
        }
        pollfd* p = stackalloc pollfd[2];
        p[0] = new pollfd { fd = XcbNative.xcb_get_file_descriptor(_c), events = POLLIN };
        p[1] = new pollfd { fd = wake?.Descriptor ?? -1, events = POLLIN }; // -1: poll ignores it
        int ms = (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue);
        int n = poll(p, 2, ms);
        if (n > 0 && (p[1].revents & POLLIN) != 0)
        {
            wake!.Take();
        }
        return n > 0 && p[0].revents != 0;
    }

    /// <summary>
    /// The next event there is, or null: for a connection that reads its own kinds of events (the
    /// clipboard's), not mixed with <see cref="Pump"/>. The caller frees it with <see cref="NativeMemory.Free"/>.
    /// </summary>
    public byte* NextEvent()
    {
        byte* e = _held;
        _held = null;
        return e != null ? e : XcbNative.xcb_poll_for_event(_c);
    }

    /// <summary>Reads every event there is and says what they were about.</summary>
    public X11Events Pump()
    {
        var events = new X11Events();
        while (true)
        {
            byte* e = _held;
            _held = null;
            if (e == null)
            {
                e = XcbNative.xcb_poll_for_event(_c);
            }
            if (e == null)
            {
                return events;
            }
            int type = e[0] & 0x7F;
            if (type == 0)
            {
                events.Errors++;
            }
            else if (DamageEvent >= 0 && type == DamageEvent)
            {
                events.Damaged = true;
            }
            else if (type == XcbNative.ConfigureNotify && BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(e + 8, 4)) == Root)
            {
                events.Resized = true;
                Width = BinaryPrimitives.ReadUInt16LittleEndian(new ReadOnlySpan<byte>(e + 20, 2));
                Height = BinaryPrimitives.ReadUInt16LittleEndian(new ReadOnlySpan<byte>(e + 22, 2));
            }
            else if (XfixesEvent >= 0 && type == XfixesEvent + 1)
            {
                events.CursorChanged = true;
            }
            NativeMemory.Free(e);
        }
    }

    /// <summary>Where the pointer is on the root window, or false when the server does not say.</summary>
    public bool TryQueryPointer(out int x, out int y)
    {
        x = y = 0;
        byte* reply = XcbNative.xcb_query_pointer_reply(_c, XcbNative.xcb_query_pointer(_c, Root), 0);
        if (reply == null)
        {
            return false;
        }
        x = BinaryPrimitives.ReadInt16LittleEndian(new ReadOnlySpan<byte>(reply + 16, 2));
        y = BinaryPrimitives.ReadInt16LittleEndian(new ReadOnlySpan<byte>(reply + 18, 2));
        NativeMemory.Free(reply);
        return true;
    }

    private static int Pad4(int n) => (n + 3) & ~3;

    public void Dispose()
    {
        if (_held != null)
        {
            NativeMemory.Free(_held);
            _held = null;
        }
        if (_c != 0)
        {
            _deadline.Release(); // before libxcb closes its descriptor
            XcbNative.xcb_disconnect(_c);
            _c = 0;
        }
    }
}
