namespace WebConsole.Consoles.Libvirt;

/// <summary>
/// The <c>Libvirt</c> section: serve the D-Bus displays of a libvirt host's running domains as
/// consoles (docs/libvirt.md). Off unless <see cref="Uri"/> is set.
/// </summary>
public sealed record LibvirtOptions
{
    /// <summary>The libvirt connection URI, e.g. <c>qemu:///system</c>; empty turns the provider off.</summary>
    public string Uri { get; init; } = "";

    /// <summary>What a domain's console id is: <c>name</c> (the default) or <c>uuid</c>.</summary>
    public string IdFrom { get; init; } = "name";

    /// <summary>
    /// Which domains to serve: glob patterns (<c>*</c>, <c>?</c>) matched against each domain's name
    /// or UUID; empty serves every domain with a D-Bus display.
    /// </summary>
    public IList<string> Domains { get; } = [];

    /// <summary>
    /// Open the connection read-only (virConnectOpenReadOnly): enough to discover domains and serve
    /// bus-mode ones, and what a server running as an unprivileged user (libvirt-qemu) may get without
    /// polkit; p2p domains then cannot be opened and are listed with why.
    /// </summary>
    public bool ReadOnly { get; init; }

    /// <summary>True when <see cref="IdFrom"/> says <c>uuid</c>.</summary>
    public bool IdsFromUuid => string.Equals(IdFrom, "uuid", StringComparison.OrdinalIgnoreCase);
}
