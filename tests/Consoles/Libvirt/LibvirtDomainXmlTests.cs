using WebConsole.Consoles.Libvirt;

namespace WebConsole.Tests.Consoles.Libvirt;

/// <summary>Domain XML is untrusted: what it may say, and what it may not do to the server.</summary>
public sealed class LibvirtDomainXmlTests
{
    private static string Domain(string devices) => $"<domain type='qemu'><name>vm1</name><devices>{devices}</devices></domain>";

    [Fact]
    public void Parse_P2p()
    {
        Assert.Equal(LibvirtDisplayMode.PeerToPeer, LibvirtDomainXml.Parse(Domain("<graphics type='dbus' p2p='yes'/>")).Mode);
    }

    [Fact]
    public void Parse_BusMode_TakesTheLiveAddress()
    {
        LibvirtDisplay display = LibvirtDomainXml.Parse(Domain(
            "<video/><graphics type='dbus' address='unix:path=/run/libvirt/qemu/dbus/2-vm1-dbus.sock'/>"));
        Assert.Equal(LibvirtDisplayMode.Bus, display.Mode);
        Assert.Equal("unix:path=/run/libvirt/qemu/dbus/2-vm1-dbus.sock", display.Address);
    }

    [Theory]
    [InlineData("<graphics type='vnc' port='-1'/>")]
    [InlineData("")]
    [InlineData("<disk><graphics type='dbus' p2p='yes'/></disk>")]
    public void Parse_NoDBusGraphics_IsNoConsole(string devices)
    {
        Assert.Equal(LibvirtDisplayMode.None, LibvirtDomainXml.Parse(Domain(devices)).Mode);
    }

    [Fact]
    public void Parse_GraphicsOutsideDevices_IsIgnored()
    {
        string xml = "<domain><metadata><devices><graphics type='dbus' p2p='yes'/></devices></metadata><devices/></domain>";
        Assert.Equal(LibvirtDisplayMode.None, LibvirtDomainXml.Parse(xml).Mode);
    }

    [Theory]
    [InlineData("<graphics type='dbus'/>", "neither p2p='yes' nor a bus address")]
    [InlineData("<graphics type='dbus' address='tcp:host=evil,port=1'/>", "cannot be used")]
    [InlineData("<graphics type='dbus' address='unix:path=relative.sock'/>", "cannot be used")]
    [InlineData("<graphics type='vnc'/><graphics type='dbus' p2p='yes'/>", "not its first <graphics>")]
    public void Parse_UnusableDBusGraphics_SaysWhy(string devices, string why)
    {
        LibvirtDisplay display = LibvirtDomainXml.Parse(Domain(devices));
        Assert.Equal(LibvirtDisplayMode.Broken, display.Mode);
        Assert.Contains(why, display.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RefusesADtd_AndExpandsNoEntity()
    {
        string xml = "<?xml version='1.0'?><!DOCTYPE domain [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>]>"
            + "<domain><devices><graphics type='dbus' address='&b;'/></devices></domain>";
        LibvirtDisplay display = LibvirtDomainXml.Parse(xml);
        Assert.Equal(LibvirtDisplayMode.Broken, display.Mode);
        Assert.Contains("DTD", display.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RefusesAnExternalEntity()
    {
        string xml = "<!DOCTYPE domain SYSTEM 'file:///etc/passwd'><domain><devices><graphics type='dbus' p2p='yes'/></devices></domain>";
        Assert.Equal(LibvirtDisplayMode.Broken, LibvirtDomainXml.Parse(xml).Mode);
    }

    [Fact]
    public void Parse_RefusesXmlOverTheCap_WithoutReadingIt()
    {
        string xml = Domain("<graphics type='dbus' p2p='yes'/>" + new string(' ', LibvirtConnection.MaxXmlBytes));
        LibvirtDisplay display = LibvirtDomainXml.Parse(xml);
        Assert.Equal(LibvirtDisplayMode.Broken, display.Mode);
        Assert.Contains("larger than 4 MiB", display.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ALargeDocumentUnderTheCap_IsRead()
    {
        // 100,000 devices before the graphics one: large, under the cap, and read to the end.
        string xml = "<domain><devices>" + string.Concat(Enumerable.Repeat("<video/>", 100_000)) + "<graphics type='dbus' p2p='yes'/></devices></domain>";
        Assert.Equal(LibvirtDisplayMode.PeerToPeer, LibvirtDomainXml.Parse(xml).Mode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not xml")]
    [InlineData("<domain><devices><graphics type='dbus'")]
    [InlineData("<other/>")]
    [InlineData("<x:domain xmlns:x='urn:x'/>")]
    public void Parse_Garbage_IsBroken_NotAnException(string xml)
    {
        Assert.Equal(LibvirtDisplayMode.Broken, LibvirtDomainXml.Parse(xml).Mode);
    }
}
