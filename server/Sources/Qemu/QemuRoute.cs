namespace WebConsole.Sources.Qemu;

/// <summary>How the server reaches a QEMU's D-Bus display.</summary>
public enum QemuRoute
{
    /// <summary>Peer to peer: a socketpair end handed to QEMU over its QMP socket (<c>getfd</c> + <c>add_client @dbus-display</c>).</summary>
    Qmp,
    /// <summary>A D-Bus bus QEMU is on as <c>org.qemu</c> (<c>-display dbus,addr=...</c>, libvirt's <c>&lt;graphics type='dbus'/&gt;</c>).</summary>
    Bus,
    /// <summary>
    /// Peer to peer on a socket libvirt hands over (<c>virDomainOpenGraphicsFD</c>) for a domain with
    /// <c>&lt;graphics type='dbus' p2p='yes'/&gt;</c>. Only the libvirt provider creates such a
    /// target; no source text parses to it.
    /// </summary>
    Libvirt,
}
