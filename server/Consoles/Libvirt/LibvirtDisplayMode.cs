namespace WebConsole.Consoles.Libvirt;

/// <summary>How a domain's D-Bus display is reached, as its live XML says.</summary>
internal enum LibvirtDisplayMode
{
    /// <summary>No <c>&lt;graphics type='dbus'/&gt;</c>: not a console.</summary>
    None,
    /// <summary><c>&lt;graphics type='dbus' p2p='yes'/&gt;</c>: a socket from virDomainOpenGraphicsFD.</summary>
    PeerToPeer,
    /// <summary><c>&lt;graphics type='dbus' address='unix:path=...'/&gt;</c>: QEMU on a private bus libvirt started.</summary>
    Bus,
    /// <summary>The XML could not be read or makes no sense; <see cref="LibvirtDisplay.Problem"/> says why.</summary>
    Broken,
}
