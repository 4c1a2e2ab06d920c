namespace WebConsole.Consoles.Libvirt;

/// <summary>A libvirt call failed; the message is libvirt's own, with what was being done.</summary>
internal sealed class LibvirtException(string message) : IOException(message);
