using System.Xml;

namespace WebConsole.Consoles.Libvirt;

/// <summary>
/// Reads the one thing the provider needs from a domain's XML: its D-Bus graphics device. Domain
/// XML is untrusted input (whoever may define domains writes it): no DTD, no entities, no external
/// resources, at most <see cref="LibvirtConnection.MaxXmlBytes"/> characters, and only
/// <c>/domain/devices/graphics</c> is looked at.
/// </summary>
internal static class LibvirtDomainXml
{
    private static readonly XmlReaderSettings s_settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = LibvirtConnection.MaxXmlBytes,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = true,
    };

    public static LibvirtDisplay Parse(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        if (xml.Length > LibvirtConnection.MaxXmlBytes)
        {
            return LibvirtDisplay.Broken($"its XML is larger than {LibvirtConnection.MaxXmlBytes / (1024 * 1024)} MiB");
        }
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), s_settings);
            if (reader.MoveToContent() != XmlNodeType.Element || reader.Name != "domain" || reader.NamespaceURI.Length != 0)
            {
                return LibvirtDisplay.Broken("its XML has no <domain> root");
            }
            // Only direct children of <devices>, itself a direct child of <domain>: nothing in
            // <metadata> or elsewhere can pose as the graphics device.
            bool inDevices = false;
            int graphics = 0;
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == 1)
                {
                    inDevices = false;
                    continue;
                }
                if (reader.NodeType != XmlNodeType.Element || reader.NamespaceURI.Length != 0)
                {
                    continue;
                }
                if (reader.Depth == 1)
                {
                    inDevices = reader.Name == "devices" && !reader.IsEmptyElement;
                    continue;
                }
                if (!inDevices || reader.Depth != 2 || reader.Name != "graphics")
                {
                    continue;
                }
                if (reader.GetAttribute("type") != "dbus")
                {
                    graphics++;
                    continue;
                }
                if (graphics > 0)
                {
                    // virDomainOpenGraphicsFD is asked for device 0; the D-Bus display must be it.
                    return LibvirtDisplay.Broken("its <graphics type='dbus'/> is not its first <graphics> device");
                }
                return Display(reader.GetAttribute("p2p"), reader.GetAttribute("address"));
            }
            return LibvirtDisplay.None;
        }
        catch (XmlException e)
        {
            return LibvirtDisplay.Broken($"its XML cannot be read: {e.Message}");
        }
    }

    private static LibvirtDisplay Display(string? p2p, string? address)
    {
        if (p2p == "yes")
        {
            return LibvirtDisplay.PeerToPeer;
        }
        if (string.IsNullOrEmpty(address))
        {
            return LibvirtDisplay.Broken("its <graphics type='dbus'/> has neither p2p='yes' nor a bus address in its live XML");
        }
        if (!Sources.Qemu.QemuSourceTarget.TryParse("dbus=" + address, out _, out string? error))
        {
            return LibvirtDisplay.Broken($"its D-Bus address cannot be used: {error}");
        }
        return new LibvirtDisplay(LibvirtDisplayMode.Bus, address);
    }
}
