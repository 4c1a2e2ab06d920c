using System.Globalization;

namespace WebConsole.Sources.Qemu;

/// <summary>
/// Which QEMU a <c>qemu:</c> source shows: <c>qmp=/run/vm1/qmp.sock</c> (peer to peer through the
/// QMP socket) or <c>dbus=unix:path=/run/vm1/bus.sock</c> (QEMU on a bus as <c>org.qemu</c>), with an
/// optional <c>,console=N</c> for a multi-head guest (default 0: <c>/org/qemu/Display1/Console_0</c>).
/// </summary>
public sealed record QemuSourceTarget(QemuRoute Route, string Address, int Console)
{
    /// <summary>Highest console index accepted; QEMU numbers its consoles from 0.</summary>
    public const int MaxConsole = 255;

    private const string ConsoleOption = ",console=";

    /// <summary>The console object's path on the display connection.</summary>
    public string ConsolePath => "/org/qemu/Display1/Console_" + Console.ToString(CultureInfo.InvariantCulture);

    /// <summary>For <see cref="QemuRoute.Bus"/>: the socket path (or abstract name) from the address.</summary>
    public string? BusSocket { get; private init; }

    /// <summary>For <see cref="QemuRoute.Bus"/>: whether <see cref="BusSocket"/> is an abstract socket name.</summary>
    public bool BusAbstract { get; private init; }

    /// <summary>The prefix of a libvirt target's text (<c>libvirt=&lt;uuid&gt;</c>), which <see cref="TryParse"/> refuses.</summary>
    internal const string LibvirtPrefix = "libvirt=";

    /// <summary>
    /// The console of the libvirt domain <paramref name="uuid"/>, reached through the descriptor
    /// libvirt hands over. Internal: only the libvirt provider makes one, so no API caller can point a
    /// console at an arbitrary domain.
    /// </summary>
    internal static QemuSourceTarget ForLibvirt(string uuid) => new(QemuRoute.Libvirt, uuid, 0);

    /// <summary>Parses the part after <c>qemu:</c>; false with a reason an operator can act on.</summary>
    public static bool TryParse(string text, out QemuSourceTarget? target, out string? error)
    {
        target = null;
        error = null;
        string value = text.Trim();
        int console = 0;
        int at = value.LastIndexOf(ConsoleOption, StringComparison.OrdinalIgnoreCase);
        if (at >= 0)
        {
            string number = value[(at + ConsoleOption.Length)..];
            if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out console) || console > MaxConsole)
            {
                error = $"console={number} is not a console index 0-{MaxConsole}";
                return false;
            }
            value = value[..at];
        }
        if (value.StartsWith("qmp=", StringComparison.OrdinalIgnoreCase))
        {
            string path = value[4..];
            if (path.Length == 0 || !System.IO.Path.IsPathFullyQualified(path) || path.Contains(',', StringComparison.Ordinal))
            {
                error = $"qmp={path} is not the absolute path of QEMU's QMP socket (-qmp unix:/run/vm1/qmp.sock,server=on,wait=off)";
                return false;
            }
            target = new QemuSourceTarget(QemuRoute.Qmp, path, console);
            return true;
        }
        if (value.StartsWith("dbus=", StringComparison.OrdinalIgnoreCase))
        {
            string address = value[5..];
            if (!TryParseBusAddress(address, out string? socket, out bool isAbstract))
            {
                error = $"dbus={address} is not a D-Bus unix address such as unix:path=/run/vm1/bus.sock or unix:abstract=name";
                return false;
            }
            target = new QemuSourceTarget(QemuRoute.Bus, address, console) { BusSocket = socket, BusAbstract = isAbstract };
            return true;
        }
        error = $"'{text}' names neither qmp=/path/to/qmp.sock nor dbus=unix:path=/path/to/bus.sock";
        return false;
    }

    private static bool TryParseBusAddress(string address, out string? socket, out bool isAbstract)
    {
        socket = null;
        isAbstract = false;
        if (!address.StartsWith("unix:", StringComparison.Ordinal))
        {
            return false;
        }
        foreach (string part in address[5..].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("path=", StringComparison.Ordinal) && System.IO.Path.IsPathFullyQualified(part[5..]))
            {
                socket = part[5..];
            }
            else if (part.StartsWith("abstract=", StringComparison.Ordinal) && part.Length > 9)
            {
                socket = part[9..];
                isAbstract = true;
            }
            else if (!part.StartsWith("guid=", StringComparison.Ordinal))
            {
                return false;
            }
        }
        return socket is not null && socket.Length < 108;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        string route = Route switch
        {
            QemuRoute.Qmp => "qmp=",
            QemuRoute.Libvirt => LibvirtPrefix,
            _ => "dbus=",
        };
        return Console == 0 ? route + Address : $"{route}{Address}{ConsoleOption}{Console.ToString(CultureInfo.InvariantCulture)}";
    }
}
