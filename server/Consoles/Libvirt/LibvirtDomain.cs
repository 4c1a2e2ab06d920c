namespace WebConsole.Consoles.Libvirt;

/// <summary>
/// A running domain as libvirt listed it: its name, UUID and live XML (untrusted: read only by
/// <see cref="LibvirtDomainXml"/>), or why the XML could not be had.
/// </summary>
internal sealed record LibvirtDomain(string Name, string Uuid, string? Xml, string? XmlError = null);
