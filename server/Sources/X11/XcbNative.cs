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
    public const byte PropertyNotify = 28;
    public const byte SelectionClear = 29;
    public const byte SelectionRequest = 30;
    public const byte SelectionNotify = 31;
    public const uint EventMaskPropertyChange = 0x400000;
    public const byte PropModeReplace = 0;
    public const byte WindowClassInputOnly = 2;
    public const uint AtomAtom = 4;
    public const uint AtomString = 31;
    public const uint XfixesSetSelectionOwnerNotifyMask = 1;
    public const uint XfixesSelectionWindowDestroyNotifyMask = 2;
    public const uint XfixesSelectionClientCloseNotifyMask = 4;

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

    [LibraryImport(Xcb)]
    public static partial uint xcb_get_maximum_request_length(nint c);

    [LibraryImport(Xcb)]
    public static partial uint xcb_intern_atom(nint c, byte onlyIfExists, ushort nameLength, byte* name);

    /// <summary>The reply's atom is at byte 8.</summary>
    [LibraryImport(Xcb)]
    public static partial byte* xcb_intern_atom_reply(nint c, uint cookie, nint error);

    [LibraryImport(Xcb)]
    public static partial uint xcb_create_window_checked(nint c, byte depth, uint window, uint parent, short x, short y, ushort width, ushort height,
        ushort borderWidth, ushort windowClass, uint visual, uint valueMask, uint* values);

    [LibraryImport(Xcb)]
    public static partial uint xcb_change_window_attributes(nint c, uint window, uint valueMask, uint* values);

    [LibraryImport(Xcb)]
    public static partial uint xcb_set_selection_owner(nint c, uint owner, uint selection, uint time);

    [LibraryImport(Xcb)]
    public static partial uint xcb_get_selection_owner(nint c, uint selection);

    /// <summary>The reply's owner window is at byte 8.</summary>
    [LibraryImport(Xcb)]
    public static partial byte* xcb_get_selection_owner_reply(nint c, uint cookie, nint error);

    [LibraryImport(Xcb)]
    public static partial uint xcb_convert_selection(nint c, uint requestor, uint selection, uint target, uint property, uint time);

    [LibraryImport(Xcb)]
    public static partial uint xcb_get_property(nint c, byte delete, uint window, uint property, uint type, uint longOffset, uint longLength);

    /// <summary>Format at byte 1, type at 8, bytes after at 12, value length (in format units) at 16.</summary>
    [LibraryImport(Xcb)]
    public static partial byte* xcb_get_property_reply(nint c, uint cookie, nint error);

    [LibraryImport(Xcb)]
    public static partial byte* xcb_get_property_value(byte* reply);

    /// <summary>The value's length in bytes.</summary>
    [LibraryImport(Xcb)]
    public static partial int xcb_get_property_value_length(byte* reply);

    [LibraryImport(Xcb)]
    public static partial uint xcb_change_property(nint c, byte mode, uint window, uint property, uint type, byte format, uint dataLength, void* data);

    [LibraryImport(Xcb)]
    public static partial uint xcb_delete_property(nint c, uint window, uint property);

    /// <summary><paramref name="xEvent"/>: the 32 bytes of the event.</summary>
    [LibraryImport(Xcb)]
    public static partial uint xcb_send_event(nint c, byte propagate, uint destination, uint eventMask, byte* xEvent);

    [LibraryImport(XcbXfixes)]
    public static partial uint xcb_xfixes_select_selection_input_checked(nint c, uint window, uint selection, uint eventMask);

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
