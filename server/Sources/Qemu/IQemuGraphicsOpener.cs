namespace WebConsole.Sources.Qemu;

/// <summary>
/// Hands over a connected socket to a QEMU's D-Bus display on which QEMU is the server: for a
/// <see cref="QemuRoute.Libvirt"/> target, libvirt's <c>virDomainOpenGraphicsFD</c>. Lets the
/// source factory reach the libvirt provider's connection without depending on the provider.
/// </summary>
public interface IQemuGraphicsOpener
{
    /// <summary>A new descriptor for the display of <paramref name="domain"/>, owned by the caller; <see cref="IOException"/> with a reason when there is none.</summary>
    int Open(string domain);
}
