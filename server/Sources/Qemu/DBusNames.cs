
namespace WebConsole.Sources.Qemu;

/// <summary>
/// The names and signatures the qemu source meets on the wire, so receiving a known one costs no
/// string; anything else becomes a new string (bounded by the header's length limit).
/// </summary>
internal static class DBusNames
{
    public const string ListenerPath = "/org/qemu/Display1/Listener";
    public const string ListenerInterface = "org.qemu.Display1.Listener";
    public const string MapInterface = "org.qemu.Display1.Listener.Unix.Map";
    public const string ConsoleInterface = "org.qemu.Display1.Console";
    public const string KeyboardInterface = "org.qemu.Display1.Keyboard";
    public const string MouseInterface = "org.qemu.Display1.Mouse";
    public const string ClipboardPath = "/org/qemu/Display1/Clipboard";
    public const string ClipboardInterface = "org.qemu.Display1.Clipboard";
    public const string TextMime = "text/plain;charset=utf-8";
    public const string PropertiesInterface = "org.freedesktop.DBus.Properties";
    public const string IntrospectableInterface = "org.freedesktop.DBus.Introspectable";
    public const string PeerInterface = "org.freedesktop.DBus.Peer";
    public const string BusName = "org.freedesktop.DBus";
    public const string BusPath = "/org/freedesktop/DBus";
    public const string QemuBusName = "org.qemu";
    public const string UnknownMethod = "org.freedesktop.DBus.Error.UnknownMethod";
    public const string InvalidArgs = "org.freedesktop.DBus.Error.InvalidArgs";
    public const string Failed = "org.freedesktop.DBus.Error.Failed";

    private static readonly string[] s_known =
    [
        ListenerPath, ListenerInterface, MapInterface, ClipboardPath, ClipboardInterface, TextMime, ConsoleInterface, KeyboardInterface, MouseInterface,
        PropertiesInterface, IntrospectableInterface, PeerInterface, BusName, BusPath, QemuBusName,
        UnknownMethod, InvalidArgs, Failed,
        "Scanout", "Update", "ScanoutMap", "UpdateMap", "ScanoutDMABUF", "UpdateDMABUF", "Disable",
        "MouseSet", "CursorDefine", "GetAll", "Get", "Set", "Introspect", "Ping", "GetMachineId",
        "NameAcquired", "NameLost", "Register", "Unregister", "Grab", "Release", "Request", "uuas", "uas", "say", "PropertiesChanged", "/org/qemu/Display1/Console_0",
        "uuuuay", "iiiiuuay", "huuuuu", "iiii", "iii", "iiiiay", "s", "ss", "ssv", "", "huuuutb",
        "a{sv}", "v", "u", "uu", "ii", "h",
    ];

    private static readonly byte[][] s_knownBytes = Array.ConvertAll(s_known, System.Text.Encoding.UTF8.GetBytes);

    /// <summary>The string for <paramref name="utf8"/>, shared when it is a known name.</summary>
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        for (int i = 0; i < s_knownBytes.Length; i++)
        {
            if (utf8.SequenceEqual(s_knownBytes[i]))
            {
                return s_known[i];
            }
        }
        return System.Text.Encoding.UTF8.GetString(utf8);
    }
}
