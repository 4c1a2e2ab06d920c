using System.Net;
using System.Net.Sockets;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace WebConsole.Sources.X11;

/// <summary>
/// Opens the socket of an X display within a deadline (libxcb's own connect has none), and finds
/// the display's MIT-MAGIC-COOKIE-1 in the X authority file the way libxcb does, so that the
/// connection setup can go through <c>xcb_connect_to_fd</c> under a <see cref="PeerDeadline"/>.
/// </summary>
internal static unsafe class X11Socket
{
    private const int DupFdCloexec = 1030; // F_DUPFD_CLOEXEC
    private static readonly byte[] s_cookieName = "MIT-MAGIC-COOKIE-1"u8.ToArray();

    /// <summary>A connected socket descriptor for <paramref name="name"/>, or -1 with a reason.</summary>
    public static int Connect(X11DisplayName name, TimeSpan timeout, out string? reason)
    {
        reason = null;
        if (name.IsLocal)
        {
            // Linux X servers listen on the abstract name too; libxcb tries it first.
            string? error = null;
            foreach (string path in (ReadOnlySpan<string>)["\0" + name.SocketPath, name.SocketPath])
            {
                int fd = Open(AddressFamily.Unix, new UnixDomainSocketEndPoint(path), timeout, out error);
                if (fd >= 0)
                {
                    return fd;
                }
            }
            reason = $"cannot connect to {name.SocketPath}: {error}";
            return -1;
        }
        IPAddress[] addresses;
        try
        {
            addresses = Dns.GetHostAddresses(name.Host!);
        }
        catch (SocketException e)
        {
            reason = $"cannot resolve {name.Host}: {e.Message}";
            return -1;
        }
        string? last = "no address";
        foreach (IPAddress address in addresses)
        {
            int fd = Open(address.AddressFamily, new IPEndPoint(address, X11DisplayName.TcpBase + name.Display), timeout, out last);
            if (fd >= 0)
            {
                return fd;
            }
        }
        reason = $"cannot connect to {name.Host}:{X11DisplayName.TcpBase + name.Display}: {last}";
        return -1;
    }

    private static int Open(AddressFamily family, EndPoint endPoint, TimeSpan timeout, out string? error)
    {
        error = null;
        using var socket = new Socket(family, SocketType.Stream, family == AddressFamily.Unix ? ProtocolType.Unspecified : ProtocolType.Tcp);
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            socket.ConnectAsync(endPoint, cancel.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            error = $"no answer in {timeout.TotalSeconds:0.#} s";
            return -1;
        }
        catch (SocketException e)
        {
            error = e.Message;
            return -1;
        }
        // libxcb takes a descriptor of its own and closes it on disconnect; the managed one closes here.
        int fd = fcntl((int)socket.Handle, DupFdCloexec, 0);
        if (fd < 0)
        {
            error = "cannot duplicate the socket";
        }
        return fd;
    }

    /// <summary>gethostname, whole (.NET's machine name stops at the first dot; the authority file does not).</summary>
    private static byte[] HostName()
    {
        byte* buffer = stackalloc byte[256];
        if (gethostname(buffer, 255) != 0)
        {
            return [];
        }
        buffer[255] = 0;
        return new ReadOnlySpan<byte>(buffer, 256)[..new ReadOnlySpan<byte>(buffer, 256).IndexOf((byte)0)].ToArray();
    }

    /// <summary>
    /// The display's MIT-MAGIC-COOKIE-1 from <c>$XAUTHORITY</c> (or <c>~/.Xauthority</c>), keyed as
    /// libxcb keys it: local and loopback connections by this host's name. Null when there is none
    /// (a server without access control needs none; XDM-AUTHORIZATION-1 is not offered).
    /// </summary>
    public static (byte[] Name, byte[] Data)? FindCookie(X11DisplayName name)
    {
        ushort family;
        byte[] address;
        IPAddress? ip = null;
        if (!name.IsLocal && !IPAddress.TryParse(name.Host, out ip) && name.Host is not "localhost")
        {
            try
            {
                ip = Dns.GetHostAddresses(name.Host!).FirstOrDefault();
            }
            catch (SocketException)
            {
                ip = null;
            }
        }
        if (name.IsLocal || name.Host is "localhost" || (ip is not null && IPAddress.IsLoopback(ip)))
        {
            family = XauNative.FamilyLocal;
            address = HostName();
        }
        else if (ip is not null)
        {
            family = ip.AddressFamily == AddressFamily.InterNetworkV6 ? XauNative.FamilyInternet6 : XauNative.FamilyInternet;
            address = ip.GetAddressBytes();
        }
        else
        {
            return null;
        }
        byte[] number = System.Text.Encoding.ASCII.GetBytes(name.Display.ToString(System.Globalization.CultureInfo.InvariantCulture));
        fixed (byte* a = address, n = number, type = s_cookieName)
        {
            byte* types = type;
            int typeLength = s_cookieName.Length;
            XauNative.Xauth* auth = XauNative.XauGetBestAuthByAddr(family, (uint)address.Length, a, (uint)number.Length, n, 1, &types, &typeLength);
            if (auth == null)
            {
                return null;
            }
            try
            {
                return (new ReadOnlySpan<byte>(auth->Name, auth->NameLength).ToArray(), new ReadOnlySpan<byte>(auth->Data, auth->DataLength).ToArray());
            }
            finally
            {
                XauNative.XauDisposeAuth(auth);
            }
        }
    }
}
