namespace WebConsole.Consoles.Libvirt;

/// <summary>A domain's D-Bus display as read from its live XML: the mode, the bus address, or what is wrong.</summary>
internal sealed record LibvirtDisplay(LibvirtDisplayMode Mode, string? Address = null, string? Problem = null)
{
    public static readonly LibvirtDisplay None = new(LibvirtDisplayMode.None);

    public static readonly LibvirtDisplay PeerToPeer = new(LibvirtDisplayMode.PeerToPeer);

    public static LibvirtDisplay Broken(string problem) => new(LibvirtDisplayMode.Broken, Problem: problem);
}
