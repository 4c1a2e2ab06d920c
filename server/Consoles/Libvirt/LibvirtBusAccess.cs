using System.Globalization;
using WebConsole.Sources.Qemu;

namespace WebConsole.Consoles.Libvirt;

/// <summary>
/// Whether this server may open a bus-mode domain's private D-Bus bus. libvirt's dbus-daemon runs as
/// the domain's user (libvirt-qemu on Debian), owns the socket, and with EXTERNAL auth admits only
/// its own uid: root included is refused ("the peer closed the connection", measured). So the bus
/// admits us when its socket's owner is our effective uid.
/// </summary>
internal static class LibvirtBusAccess
{
    public const string P2pHint = "<graphics type='dbus' p2p='yes'/>";

    /// <summary>Null when the bus admits this server; otherwise why not, for the console's state.</summary>
    public static string? Refusal(string domain, string address)
    {
        if (!QemuSourceTarget.TryParse("dbus=" + address, out QemuSourceTarget? target, out string? error))
        {
            return $"domain {domain}'s D-Bus address cannot be used: {error}";
        }
        if (target!.BusAbstract)
        {
            return null; // an abstract socket has no owner to read: try it
        }
        int failed = QemuNative.OwnerOf(target.BusSocket!, out uint owner);
        if (failed != 0)
        {
            return $"domain {domain}'s D-Bus bus {target.BusSocket} cannot be reached by this server (errno {failed}); "
                + $"run WebConsole as the domain's user (libvirt-qemu) or use {P2pHint}";
        }
        return Refusal(domain, owner, QemuNative.EffectiveUserId(), UserName);
    }

    /// <summary>The rule itself, for tests: <paramref name="owner"/> is the socket's, <paramref name="self"/> ours.</summary>
    public static string? Refusal(string domain, uint owner, uint self, Func<uint, string?> names)
    {
        if (owner == self)
        {
            return null;
        }
        string who = names(owner) is string name ? $"uid {owner.ToString(CultureInfo.InvariantCulture)} ({name})" : $"uid {owner.ToString(CultureInfo.InvariantCulture)}";
        return $"domain {domain}'s D-Bus bus admits only {who}; run WebConsole as that user or use {P2pHint}";
    }

    /// <summary>The user name of <paramref name="uid"/> from /etc/passwd, when it is there.</summary>
    public static string? UserName(uint uid)
    {
        try
        {
            string wanted = uid.ToString(CultureInfo.InvariantCulture);
            foreach (string line in File.ReadLines("/etc/passwd"))
            {
                string[] fields = line.Split(':');
                if (fields.Length > 2 && fields[2] == wanted)
                {
                    return fields[0];
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }
}
