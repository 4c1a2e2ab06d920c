namespace WebConsole.Consoles.Libvirt;

/// <summary>
/// A domain as libvirt listed it: its name, UUID, whether it runs, and its XML (live when it runs;
/// untrusted: read only by <see cref="LibvirtDomainXml"/>), or why the XML could not be had.
/// </summary>
internal sealed record LibvirtDomain(string Name, string Uuid, string? Xml, string? XmlError = null, bool Running = true);
