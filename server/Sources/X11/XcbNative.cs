using System.Runtime.InteropServices;

namespace WebConsole.Sources.X11;

/// <summary>
/// The libxcb calls the X sources use (libxcb1, libxcb-damage0, libxcb-xfixes0, libxcb-shm0).
/// XCB, not Xlib: a connection whose server went away only reports an error (Xlib's default
/// handlers end the process), and nothing here is global. Cookies are passed as their one
/// <c>unsigned int</c> (a one-field struct has the same calling convention on x86-64 and arm64).
/// Replies and events are malloc'ed by libxcb and freed with <see cref="NativeMemory.Free"/>;
/// their layouts are read with bounds checks in <see cref="X11Connection"/>, never cast blindly.
/// </summary>
internal static unsafe partial class XcbNative
{
    private const string Xcb = "libxcb.so.1";
    private const string XcbDamage = "libxcb-damage.so.0";
    private const string XcbXfixes = "libxcb-xfixes.so.0";
    private const string XcbShm = "libxcb-shm.so.0";

    public const byte ImageFormatZPixmap = 2;
    public const uint CwEventMask = 2048;
    public const uint EventMaskStructureNotify = 131072;
    public const byte DamageReportNonEmpty = 3;
    public const uint XfixesDisplayCursorNotifyMask = 1;
    public const byte ConfigureNotify = 22;

    /// <summary>xcb_auth_info_t: the authorization protocol's name and data for the connection setup.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct AuthInfo
    {
        public int NameLength;
        public byte* Name;
        public int DataLength;
        public byte* Data;
    }

    /// <summary>The connection setup on a socket of the caller's (libxcb closes it on disconnect, and on failure).</summary>
    [LibraryImport(Xcb)]
    public static partial nint xcb_connect_to_fd(int fd, AuthInfo* authInfo);

    [LibraryImport(Xcb)]
    public static partial int xcb_connection_has_error(nint c);

    [LibraryImport(Xcb)]
    public static partial void xcb_disconnect(nint c);

    [LibraryImport(Xcb)]
    public static partial int xcb_get_file_descriptor(nint c);

    [LibraryImport(Xcb)]
    public static partial int xcb_flush(nint c);

    [LibraryImport(Xcb)]
    public static partial byte* xcb_get_setup(nint c);

    [LibraryImport(Xcb)]
    public static partial uint xcb_generate_id(nint c);

    [LibraryImport(Xcb)]
    public static partial byte* xcb_poll_for_event(nint c);

    [LibraryImport(Xcb)]
    public static partial byte* xcb_poll_for_queued_event(nint c);

    [LibraryImport(Xcb)]
    public static partial byte* xcb_request_check(nint c, uint cookie);

    /// <summary>The server's answer to QueryExtension for <paramref name="extension"/> (libxcb keeps it; not freed).</summary>
    [LibraryImport(Xcb)]
    public static partial byte* xcb_get_extension_data(nint c, nint extension);

    [LibraryImport(Xcb)]
    public static partial uint xcb_get_geometry(nint c, uint drawable);

    [LibraryImport(Xcb)]
    public static partial byte* xcb_get_geometry_reply(nint c, uint cookie, nint error);

    [LibraryImport(Xcb)]
    public static partial uint xcb_change_window_attributes_checked(nint c, uint window, uint valueMask, uint* values);

    [LibraryImport(Xcb)]
    public static partial uint xcb_get_image(nint c, byte format, uint drawable, short x, short y, ushort width, ushort height, uint planeMask);

    [LibraryImport(Xcb)]
    public static partial byte* xcb_get_image_reply(nint c, uint cookie, nint error);

    [LibraryImport(Xcb)]
    public static partial byte* xcb_get_image_data(byte* reply);

    [LibraryImport(Xcb)]
    public static partial int xcb_get_image_data_length(byte* reply);

    [LibraryImport(Xcb)]
    public static partial uint xcb_query_pointer(nint c, uint window);

    [LibraryImport(Xcb)]
    public static partial byte* xcb_query_pointer_reply(nint c, uint cookie, nint error);

    [LibraryImport(XcbDamage)]
    public static partial uint xcb_damage_query_version(nint c, uint major, uint minor);

    [LibraryImport(XcbDamage)]
    public static partial byte* xcb_damage_query_version_reply(nint c, uint cookie, nint error);

    [LibraryImport(XcbDamage)]
    public static partial uint xcb_damage_create_checked(nint c, uint damage, uint drawable, byte level);

    [LibraryImport(XcbDamage)]
    public static partial uint xcb_damage_subtract(nint c, uint damage, uint repair, uint parts);

    [LibraryImport(XcbXfixes)]
    public static partial uint xcb_xfixes_query_version(nint c, uint major, uint minor);

    [LibraryImport(XcbXfixes)]
    public static partial byte* xcb_xfixes_query_version_reply(nint c, uint cookie, nint error);

    [LibraryImport(XcbXfixes)]
    public static partial uint xcb_xfixes_create_region_checked(nint c, uint region, uint rectanglesLength, void* rectangles);

    [LibraryImport(XcbXfixes)]
    public static partial uint xcb_xfixes_fetch_region(nint c, uint region);

    [LibraryImport(XcbXfixes)]
    public static partial byte* xcb_xfixes_fetch_region_reply(nint c, uint cookie, nint error);

    [LibraryImport(XcbXfixes)]
    public static partial short* xcb_xfixes_fetch_region_rectangles(byte* reply);

    [LibraryImport(XcbXfixes)]
    public static partial int xcb_xfixes_fetch_region_rectangles_length(byte* reply);

    [LibraryImport(XcbXfixes)]
    public static partial uint xcb_xfixes_select_cursor_input_checked(nint c, uint window, uint eventMask);

    [LibraryImport(XcbXfixes)]
    public static partial uint xcb_xfixes_get_cursor_image(nint c);

    [LibraryImport(XcbXfixes)]
    public static partial byte* xcb_xfixes_get_cursor_image_reply(nint c, uint cookie, nint error);

    [LibraryImport(XcbXfixes)]
    public static partial uint* xcb_xfixes_get_cursor_image_cursor_image(byte* reply);

    [LibraryImport(XcbXfixes)]
    public static partial int xcb_xfixes_get_cursor_image_cursor_image_length(byte* reply);

    [LibraryImport(XcbShm)]
    public static partial uint xcb_shm_query_version(nint c);

    [LibraryImport(XcbShm)]
    public static partial byte* xcb_shm_query_version_reply(nint c, uint cookie, nint error);

    [LibraryImport(XcbShm)]
    public static partial uint xcb_shm_attach_checked(nint c, uint shmseg, uint shmid, byte readOnly);

    [LibraryImport(XcbShm)]
    public static partial uint xcb_shm_detach(nint c, uint shmseg);

    [LibraryImport(XcbShm)]
    public static partial uint xcb_shm_get_image(nint c, uint drawable, short x, short y, ushort width, ushort height,
        uint planeMask, byte format, uint shmseg, uint offset);

    [LibraryImport(XcbShm)]
    public static partial byte* xcb_shm_get_image_reply(nint c, uint cookie, nint error);

    /// <summary>The address of an extension's <c>xcb_extension_t</c> (xcb_damage_id, ...), or 0 when the library lacks it.</summary>
    public static nint Extension(string library, string symbol)
    {
        try
        {
            return NativeLibrary.TryLoad(library, out nint handle) && NativeLibrary.TryGetExport(handle, symbol, out nint address)
                ? address
                : 0;
        }
        catch (DllNotFoundException)
        {
            return 0;
        }
    }

    public static nint DamageExtension => Extension(XcbDamage, "xcb_damage_id");

    public static nint XfixesExtension => Extension(XcbXfixes, "xcb_xfixes_id");

    public static nint ShmExtension => Extension(XcbShm, "xcb_shm_id");
}
