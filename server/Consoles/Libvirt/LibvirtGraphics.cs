using WebConsole.Sources.Qemu;

namespace WebConsole.Consoles.Libvirt;

/// <summary>
/// The provider's current libvirt connection, as the QEMU sources of p2p domains need it: each
/// (re)connect of such a source asks for a fresh graphics descriptor here. A singleton of its own,
/// so the source factory and the provider (which needs the catalog, which needs the factory) do
/// not depend on each other.
/// </summary>
internal sealed class LibvirtGraphics : IQemuGraphicsOpener
{
    private volatile LibvirtConnection? _connection;
    private volatile string _why = "not connected yet";

    /// <summary>The provider connected; sources open their descriptors on <paramref name="connection"/>.</summary>
    public void Attach(LibvirtConnection connection) => _connection = connection;

    /// <summary>The connection is gone: sources are told why until the next <see cref="Attach"/>.</summary>
    public void Detach(string why)
    {
        _why = why;
        _connection = null;
    }

    public int Open(string domain)
    {
        LibvirtConnection connection = _connection ?? throw new IOException($"waiting for libvirtd: {_why}");
        return connection.OpenGraphicsFd(domain);
    }
}
