namespace WebConsole.Sources;

/// <summary>Where a console's pixels come from.</summary>
public enum SourceKind
{
    /// <summary>A shared framebuffer region file (docs/region-format.md).</summary>
    Region,
    /// <summary>A region written by the built-in demo producer.</summary>
    Demo,
    /// <summary>An X server's screen as an XWD file (Xvfb -fbdir), input through XTEST.</summary>
    Xwd,
    /// <summary>A Linux framebuffer device such as /dev/fb0 (docs/fbdev.md).</summary>
    Fbdev,
    /// <summary>An X server's screen as an XWD image in shared memory (Xvfb -shmem), input through XTEST.</summary>
    XwdShm,
    /// <summary>A QEMU's D-Bus display (-display dbus): pixels, damage, cursor and input (docs/qemu.md).</summary>
    Qemu,
    /// <summary>Any local X server's screen through XCB: DAMAGE, MIT-SHM, XTEST, XFixes (docs/x11.md).</summary>
    X11,
    /// <summary>
    /// Nothing to show, and the reason why (a libvirt domain whose display this server may not open,
    /// a libvirtd that went away). Made by providers, never parsed from source text.
    /// </summary>
    Unavailable,
}
