using System.Runtime.InteropServices;

namespace WebConsole.Consoles.Libvirt;

/// <summary>
/// The few calls of the system's libvirt (Debian's libvirt0, <c>libvirt.so.0</c>) the provider
/// uses; signatures from libvirt's include/libvirt/libvirt-{host,domain,event}.h and virterror.h
/// (9.0). No .NET binding of libvirt exists on NuGet. Pointers stay <see cref="IntPtr"/>: the
/// types around this file own them (<see cref="LibvirtConnection"/>).
/// </summary>
internal static unsafe partial class LibvirtNative
{
    private const string Library = "libvirt.so.0";

    /// <summary>virDomainEventID: VIR_DOMAIN_EVENT_ID_LIFECYCLE (a virConnectDomainEventCallback).</summary>
    public const int DomainEventIdLifecycle = 0;

    /// <summary>virConnectListAllDomainsFlags: VIR_CONNECT_LIST_DOMAINS_ACTIVE.</summary>
    public const uint ListDomainsActive = 1;

    /// <summary>VIR_UUID_STRING_BUFLEN: 36 characters and the NUL.</summary>
    public const int UuidStringLength = 37;

    /// <summary>int virEventRegisterDefaultImpl(void): once per process, before any connection.</summary>
    [LibraryImport(Library, EntryPoint = "virEventRegisterDefaultImpl")]
    public static partial int EventRegisterDefaultImpl();

    /// <summary>int virEventRunDefaultImpl(void): one iteration of the default event loop.</summary>
    [LibraryImport(Library, EntryPoint = "virEventRunDefaultImpl")]
    public static partial int EventRunDefaultImpl();

    /// <summary>void virSetErrorFunc(void *userData, virErrorFunc handler): errors go to our log, not stderr.</summary>
    [LibraryImport(Library, EntryPoint = "virSetErrorFunc")]
    public static partial void SetErrorFunc(IntPtr userData, delegate* unmanaged<IntPtr, IntPtr, void> handler);

    /// <summary>virConnectPtr virConnectOpen(const char *name): read-write (virDomainOpenGraphicsFD needs it).</summary>
    [LibraryImport(Library, EntryPoint = "virConnectOpen", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr ConnectOpen(string name);

    /// <summary>virConnectPtr virConnectOpenReadOnly(const char *name): enough for discovery and bus-mode domains.</summary>
    [LibraryImport(Library, EntryPoint = "virConnectOpenReadOnly", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr ConnectOpenReadOnly(string name);

    /// <summary>int virConnectRef(virConnectPtr conn).</summary>
    [LibraryImport(Library, EntryPoint = "virConnectRef")]
    public static partial int ConnectRef(IntPtr connection);

    /// <summary>int virConnectClose(virConnectPtr conn): drops one reference.</summary>
    [LibraryImport(Library, EntryPoint = "virConnectClose")]
    public static partial int ConnectClose(IntPtr connection);

    /// <summary>int virConnectIsAlive(virConnectPtr conn): 1 alive, 0 dead, -1 error.</summary>
    [LibraryImport(Library, EntryPoint = "virConnectIsAlive")]
    public static partial int ConnectIsAlive(IntPtr connection);

    /// <summary>int virConnectSetKeepAlive(virConnectPtr conn, int interval, unsigned int count).</summary>
    [LibraryImport(Library, EntryPoint = "virConnectSetKeepAlive")]
    public static partial int ConnectSetKeepAlive(IntPtr connection, int interval, uint count);

    /// <summary>
    /// int virConnectRegisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb, void *opaque,
    /// virFreeCallback freecb); cb is void (*)(virConnectPtr conn, int reason, void *opaque).
    /// </summary>
    [LibraryImport(Library, EntryPoint = "virConnectRegisterCloseCallback")]
    public static partial int ConnectRegisterCloseCallback(IntPtr connection,
        delegate* unmanaged<IntPtr, int, IntPtr, void> callback, IntPtr opaque, delegate* unmanaged<IntPtr, void> free);

    /// <summary>int virConnectUnregisterCloseCallback(virConnectPtr conn, virConnectCloseFunc cb).</summary>
    [LibraryImport(Library, EntryPoint = "virConnectUnregisterCloseCallback")]
    public static partial int ConnectUnregisterCloseCallback(IntPtr connection, delegate* unmanaged<IntPtr, int, IntPtr, void> callback);

    /// <summary>
    /// int virConnectDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
    /// virConnectDomainEventGenericCallback cb, void *opaque, virFreeCallback freecb); for
    /// LIFECYCLE cb is int (*)(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque).
    /// Returns the callback id, or -1.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "virConnectDomainEventRegisterAny")]
    public static partial int ConnectDomainEventRegisterAny(IntPtr connection, IntPtr domain, int eventId,
        delegate* unmanaged<IntPtr, IntPtr, int, int, IntPtr, int> callback, IntPtr opaque, delegate* unmanaged<IntPtr, void> free);

    /// <summary>int virConnectDomainEventDeregisterAny(virConnectPtr conn, int callbackID).</summary>
    [LibraryImport(Library, EntryPoint = "virConnectDomainEventDeregisterAny")]
    public static partial int ConnectDomainEventDeregisterAny(IntPtr connection, int callbackId);

    /// <summary>
    /// int virConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags):
    /// the count, and an array the caller frees (each domain with virDomainFree, the array with free()).
    /// </summary>
    [LibraryImport(Library, EntryPoint = "virConnectListAllDomains")]
    public static partial int ConnectListAllDomains(IntPtr connection, IntPtr** domains, uint flags);

    /// <summary>virDomainPtr virDomainLookupByUUIDString(virConnectPtr conn, const char *uuidstr).</summary>
    [LibraryImport(Library, EntryPoint = "virDomainLookupByUUIDString", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr DomainLookupByUuidString(IntPtr connection, string uuid);

    /// <summary>int virDomainFree(virDomainPtr domain).</summary>
    [LibraryImport(Library, EntryPoint = "virDomainFree")]
    public static partial int DomainFree(IntPtr domain);

    /// <summary>const char *virDomainGetName(virDomainPtr domain): owned by the domain object.</summary>
    [LibraryImport(Library, EntryPoint = "virDomainGetName")]
    public static partial IntPtr DomainGetName(IntPtr domain);

    /// <summary>int virDomainGetUUIDString(virDomainPtr domain, char *buf): buf holds VIR_UUID_STRING_BUFLEN bytes.</summary>
    [LibraryImport(Library, EntryPoint = "virDomainGetUUIDString")]
    public static partial int DomainGetUuidString(IntPtr domain, byte* buffer);

    /// <summary>char *virDomainGetXMLDesc(virDomainPtr domain, unsigned int flags): the live XML of a running domain; the caller frees it.</summary>
    [LibraryImport(Library, EntryPoint = "virDomainGetXMLDesc")]
    public static partial IntPtr DomainGetXmlDesc(IntPtr domain, uint flags);

    /// <summary>int virDomainIsActive(virDomainPtr dom): 1 running, 0 not, -1 error.</summary>
    [LibraryImport(Library, EntryPoint = "virDomainIsActive")]
    public static partial int DomainIsActive(IntPtr domain);

    /// <summary>int virDomainOpenGraphicsFD(virDomainPtr dom, unsigned int idx, unsigned int flags): a descriptor, or -1.</summary>
    [LibraryImport(Library, EntryPoint = "virDomainOpenGraphicsFD")]
    public static partial int DomainOpenGraphicsFd(IntPtr domain, uint index, uint flags);

    /// <summary>const char *virGetLastErrorMessage(void): this thread's last error, never NULL.</summary>
    [LibraryImport(Library, EntryPoint = "virGetLastErrorMessage")]
    public static partial IntPtr GetLastErrorMessage();

    /// <summary>This thread's last libvirt error, as text.</summary>
    public static string LastError() => Marshal.PtrToStringUTF8(GetLastErrorMessage()) ?? "unknown libvirt error";

    /// <summary>Frees what libvirt allocated for the caller (malloc'd strings and arrays).</summary>
    public static void Free(IntPtr memory) => NativeMemory.Free((void*)memory);
}
