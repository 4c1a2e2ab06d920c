using System.Runtime.InteropServices;
using WebConsole.Sources.Qemu;

namespace WebConsole.Consoles.Libvirt;

/// <summary>
/// One open libvirt connection: keep-alive (5 s, 3 missed), a close callback and the lifecycle
/// event, each delivered on libvirt's event loop thread (<see cref="LibvirtEventLoop"/>) and passed
/// on as a signal, so no libvirt call is ever made from inside a callback. Thread-safe: the provider
/// lists domains on its thread while QEMU sources open graphics descriptors on theirs; each call
/// holds its own reference on the connection, so <see cref="Dispose"/> never frees it under them.
/// </summary>
internal sealed unsafe class LibvirtConnection : IDisposable
{
    /// <summary>Largest domain XML read; a larger one is refused (domain XML is untrusted input).</summary>
    public const int MaxXmlBytes = 4 * 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly Action _changed;
    private readonly Action<string> _closed;
    private IntPtr _connection;
    private int _lifecycleId = -1;
    private bool _closeRegistered;
    private volatile string? _closeReason;

    private LibvirtConnection(IntPtr connection, Action changed, Action<string> closed)
    {
        _connection = connection;
        _changed = changed;
        _closed = closed;
    }

    /// <summary>Why libvirt closed the connection, once it has.</summary>
    public string? CloseReason => _closeReason;

    /// <summary>
    /// Opens <paramref name="uri"/> (read-write unless <paramref name="readOnly"/>: virDomainOpenGraphicsFD needs write access) and subscribes: <paramref name="changed"/> runs on any
    /// domain lifecycle event, <paramref name="closed"/> when the connection ends (daemon gone,
    /// keep-alive missed). Both run on libvirt's event thread and must only signal.
    /// </summary>
    public static LibvirtConnection Open(string uri, bool readOnly, Action changed, Action<string> closed)
    {
        LibvirtEventLoop.EnsureStarted();
        IntPtr handle = readOnly ? LibvirtNative.ConnectOpenReadOnly(uri) : LibvirtNative.ConnectOpen(uri);
        if (handle == IntPtr.Zero)
        {
            throw new LibvirtException(LibvirtNative.LastError());
        }
        var connection = new LibvirtConnection(handle, changed, closed);
        try
        {
            // -1 where the driver has no keep-alive (a local one such as test:///); the close callback still serves.
            _ = LibvirtNative.ConnectSetKeepAlive(handle, 5, 3);
            // Each registration owns a handle of its own, freed by libvirt's free callback when it lets go.
            if (LibvirtNative.ConnectRegisterCloseCallback(handle, &OnClose, GCHandle.ToIntPtr(GCHandle.Alloc(connection)), &FreeHandle) < 0)
            {
                throw new LibvirtException($"close callback: {LibvirtNative.LastError()}");
            }
            connection._closeRegistered = true;
            connection._lifecycleId = LibvirtNative.ConnectDomainEventRegisterAny(handle, IntPtr.Zero, LibvirtNative.DomainEventIdLifecycle,
                &OnLifecycle, GCHandle.ToIntPtr(GCHandle.Alloc(connection)), &FreeHandle);
            if (connection._lifecycleId < 0)
            {
                throw new LibvirtException($"lifecycle events: {LibvirtNative.LastError()}");
            }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>False once libvirt has closed the connection (or it says it is dead).</summary>
    public bool IsAlive
    {
        get
        {
            if (_closeReason is not null)
            {
                return false;
            }
            IntPtr handle = Acquire();
            if (handle == IntPtr.Zero)
            {
                return false;
            }
            try
            {
                return LibvirtNative.ConnectIsAlive(handle) == 1;
            }
            finally
            {
                _ = LibvirtNative.ConnectClose(handle);
            }
        }
    }

    /// <summary>Every domain, running ones with their live XML; throws <see cref="LibvirtException"/> when libvirt fails.</summary>
    public List<LibvirtDomain> ListDomains()
    {
        IntPtr handle = Acquire();
        if (handle == IntPtr.Zero)
        {
            throw new LibvirtException("the connection is closed");
        }
        try
        {
            IntPtr* list = null;
            int count = LibvirtNative.ConnectListAllDomains(handle, &list, 0);
            if (count < 0)
            {
                throw new LibvirtException($"listing domains: {LibvirtNative.LastError()}");
            }
            var domains = new List<LibvirtDomain>(count);
            try
            {
                for (int i = 0; i < count; i++)
                {
                    if (Describe(list[i]) is LibvirtDomain domain)
                    {
                        domains.Add(domain);
                    }
                }
            }
            finally
            {
                for (int i = 0; i < count; i++)
                {
                    _ = LibvirtNative.DomainFree(list[i]);
                }
                LibvirtNative.Free((IntPtr)list);
            }
            return domains;
        }
        finally
        {
            _ = LibvirtNative.ConnectClose(handle);
        }
    }

    private static LibvirtDomain? Describe(IntPtr domain)
    {
        string? name = Marshal.PtrToStringUTF8(LibvirtNative.DomainGetName(domain));
        byte* uuid = stackalloc byte[LibvirtNative.UuidStringLength];
        if (name is null || LibvirtNative.DomainGetUuidString(domain, uuid) < 0)
        {
            return null; // gone between the listing and now
        }
        string id = Marshal.PtrToStringUTF8((IntPtr)uuid)!;
        int active = LibvirtNative.DomainIsActive(domain);
        if (active < 0)
        {
            return null; // undefined between the listing and now
        }
        bool running = active == 1;
        IntPtr xml = LibvirtNative.DomainGetXmlDesc(domain, 0);
        if (xml == IntPtr.Zero)
        {
            return new LibvirtDomain(name, id, null, $"its XML could not be read: {LibvirtNative.LastError()}", running);
        }
        try
        {
            // Measured without reading past the cap: libvirt's string ends in a NUL somewhere.
            byte* text = (byte*)xml;
            int length = 0;
            while (length <= MaxXmlBytes && text[length] != 0)
            {
                length++;
            }
            if (length > MaxXmlBytes)
            {
                return new LibvirtDomain(name, id, null, $"its XML is larger than {MaxXmlBytes / (1024 * 1024)} MiB", running);
            }
            return new LibvirtDomain(name, id, System.Text.Encoding.UTF8.GetString(text, length), Running: running);
        }
        finally
        {
            LibvirtNative.Free(xml);
        }
    }

    /// <summary>
    /// A descriptor on the domain's first graphics device (virDomainOpenGraphicsFD(dom, 0, 0)): for a
    /// <c>&lt;graphics type='dbus' p2p='yes'/&gt;</c> domain, a socket on which QEMU is the D-Bus server.
    /// Checked to be an AF_UNIX stream socket; the caller owns it.
    /// </summary>
    public int OpenGraphicsFd(string uuid)
    {
        IntPtr handle = Acquire();
        if (handle == IntPtr.Zero)
        {
            throw new LibvirtException("the libvirt connection is closed");
        }
        try
        {
            IntPtr domain = LibvirtNative.DomainLookupByUuidString(handle, uuid);
            if (domain == IntPtr.Zero)
            {
                throw new LibvirtException($"domain {uuid}: {LibvirtNative.LastError()}");
            }
            try
            {
                int fd = LibvirtNative.DomainOpenGraphicsFd(domain, 0, 0);
                if (fd < 0)
                {
                    throw new LibvirtException($"virDomainOpenGraphicsFD: {LibvirtNative.LastError()}");
                }
                if (!QemuNative.IsUnixStreamSocket(fd))
                {
                    QemuNative.Close(fd);
                    throw new LibvirtException("virDomainOpenGraphicsFD gave a descriptor that is not a unix stream socket");
                }
                QemuNative.PrepareHandedSocket(fd);
                return fd;
            }
            finally
            {
                _ = LibvirtNative.DomainFree(domain);
            }
        }
        finally
        {
            _ = LibvirtNative.ConnectClose(handle);
        }
    }

    /// <summary>A reference of the caller's own on the connection (released with virConnectClose), or zero once closed.</summary>
    private IntPtr Acquire()
    {
        lock (_gate)
        {
            if (_connection != IntPtr.Zero && LibvirtNative.ConnectRef(_connection) == 0)
            {
                return _connection;
            }
            return IntPtr.Zero;
        }
    }

    public void Dispose()
    {
        IntPtr handle;
        lock (_gate)
        {
            handle = _connection;
            _connection = IntPtr.Zero;
        }
        if (handle == IntPtr.Zero)
        {
            return;
        }
        // Both fail harmlessly on a dead connection; the registrations hold references that must go first.
        if (_lifecycleId >= 0)
        {
            _ = LibvirtNative.ConnectDomainEventDeregisterAny(handle, _lifecycleId);
        }
        if (_closeRegistered)
        {
            _ = LibvirtNative.ConnectUnregisterCloseCallback(handle, &OnClose);
        }
        _ = LibvirtNative.ConnectClose(handle);
    }

    private static string DescribeClose(int reason) => reason switch
    {
        0 => "the connection to libvirtd failed",
        1 => "libvirtd closed the connection",
        2 => "libvirtd stopped answering keep-alives",
        _ => "the connection was closed",
    };

    [UnmanagedCallersOnly]
    private static void OnClose(IntPtr connection, int reason, IntPtr opaque)
    {
        if (GCHandle.FromIntPtr(opaque).Target is LibvirtConnection self)
        {
            string why = DescribeClose(reason);
            self._closeReason ??= why;
            try
            {
                self._closed(why);
            }
            catch (Exception)
            {
                // An exception must not cross into libvirt; signalling does not throw.
            }
        }
    }

    [UnmanagedCallersOnly]
    private static int OnLifecycle(IntPtr connection, IntPtr domain, int lifecycleEvent, int detail, IntPtr opaque)
    {
        if (GCHandle.FromIntPtr(opaque).Target is LibvirtConnection self)
        {
            try
            {
                self._changed();
            }
            catch (Exception)
            {
                // As above: nothing may unwind into libvirt.
            }
        }
        return 0;
    }

    [UnmanagedCallersOnly]
    private static void FreeHandle(IntPtr opaque) => GCHandle.FromIntPtr(opaque).Free();
}
