using System.Net;
using System.Net.Http.Json;
using WebConsole.Consoles;
using WebConsole.Consoles.Libvirt;
using WebConsole.Sources;

namespace WebConsole.Tests.Consoles.Libvirt;

public sealed class LibvirtConsolePlanTests
{
    private const string Uuid1 = "c8323af4-ff1c-43b3-9feb-9f6be0651d00", Uuid2 = "0f9e8d7c-1111-2222-3333-444455556666";
    private const string P2p = "<domain><devices><graphics type='dbus' p2p='yes'/></devices></domain>";
    private const string Bus = "<domain><devices><graphics type='dbus' address='unix:path=/run/libvirt/qemu/dbus/3-db-dbus.sock'/></devices></domain>";

    private static Dictionary<string, ConsoleDefinition> Plan(LibvirtOptions options, List<string> notes, string? busRefusal, params LibvirtDomain[] domains) =>
        LibvirtConsolePlan.Wanted(domains, options, (_, _) => busRefusal, notes);

    [Fact]
    public void Wanted_P2pDomain_IsALibvirtRoute_ByName()
    {
        var wanted = Plan(new LibvirtOptions(), [], null, new LibvirtDomain("web", Uuid1, P2p));
        Assert.Equal(SourceSpec.ForLibvirtDomain(Uuid1), Assert.Single(wanted, kv => kv.Key == "web").Value.Spec);
        Assert.Equal("qemu:libvirt=" + Uuid1, wanted["web"].Spec.ToString());
    }

    [Fact]
    public void Wanted_P2pDomain_OnAReadOnlyConnection_ListedWithWhy()
    {
        var wanted = Plan(new LibvirtOptions { ReadOnly = true }, [], null, new LibvirtDomain("web", Uuid1, P2p), new LibvirtDomain("db", Uuid2, Bus));
        Assert.Equal(SourceKind.Unavailable, wanted["web"].Spec.Kind);
        Assert.Contains("read-only libvirt connection cannot open (Libvirt:ReadOnly)", wanted["web"].Spec.Path, StringComparison.Ordinal);
        Assert.Equal(SourceKind.Qemu, wanted["db"].Spec.Kind);
    }

    [Fact]
    public void Wanted_IdFromUuid()
    {
        var wanted = Plan(new LibvirtOptions { IdFrom = "uuid" }, [], null, new LibvirtDomain("web", Uuid1, P2p));
        Assert.Equal([Uuid1], wanted.Keys);
    }

    [Fact]
    public void Wanted_BusDomain_ServedThroughItsAddress_WhenTheBusAdmitsUs()
    {
        var wanted = Plan(new LibvirtOptions(), [], null, new LibvirtDomain("db", Uuid2, Bus));
        Assert.Equal("qemu:dbus=unix:path=/run/libvirt/qemu/dbus/3-db-dbus.sock", wanted["db"].Spec.ToString());
    }

    [Fact]
    public void Wanted_BusDomain_ListedUnavailable_WithTheRefusal()
    {
        var wanted = Plan(new LibvirtOptions(), [], "domain db's D-Bus bus admits only uid 64055", new LibvirtDomain("db", Uuid2, Bus));
        Assert.Equal(new SourceSpec(SourceKind.Unavailable, "domain db's D-Bus bus admits only uid 64055"), wanted["db"].Spec);
    }

    [Fact]
    public void Wanted_Filters_ByNameOrUuid()
    {
        var options = new LibvirtOptions();
        options.Domains.Add("web-*");
        options.Domains.Add(Uuid2);
        var wanted = Plan(options, [], null,
            new LibvirtDomain("web-1", Uuid1, P2p), new LibvirtDomain("db", Uuid2, P2p), new LibvirtDomain("other", "1-2-3", P2p));
        Assert.Equal(["db", "web-1"], wanted.Keys.Order());
    }

    [Fact]
    public void Wanted_NameThatIsNoId_LeftOutWithANote()
    {
        var notes = new List<string>();
        var wanted = Plan(new LibvirtOptions(), notes, null, new LibvirtDomain("web.example.com", Uuid1, P2p));
        Assert.Empty(wanted);
        Assert.Contains("Libvirt:IdFrom", Assert.Single(notes), StringComparison.Ordinal);
    }

    [Fact]
    public void Wanted_BrokenXml_ListedInvalid_WithANote_AndTheNameMadePrintable()
    {
        var notes = new List<string>();
        var wanted = Plan(new LibvirtOptions { IdFrom = "uuid" }, notes, null, new LibvirtDomain("evil\u001b[31m", Uuid1, "<!DOCTYPE x []><domain/>"));
        ConsoleDefinition definition = wanted[Uuid1];
        Assert.Equal(SourceKind.Unavailable, definition.Spec.Kind);
        Assert.StartsWith("domain evil?[31m: its XML cannot be read", definition.Spec.Path, StringComparison.Ordinal);
        Assert.Single(notes);
    }

    [Fact]
    public void Wanted_ShutOffDomain_ListedAsWaitingToStart_InEitherMode()
    {
        const string inactiveBus = "<domain><devices><graphics type='dbus'/></devices></domain>";
        var wanted = Plan(new LibvirtOptions(), [], null,
            new LibvirtDomain("web", Uuid1, P2p, Running: false), new LibvirtDomain("db", Uuid2, inactiveBus, Running: false));
        Assert.Equal(new SourceSpec(SourceKind.Unavailable, "waiting for domain web to start (it is shut off)"), wanted["web"].Spec);
        Assert.Equal(new SourceSpec(SourceKind.Unavailable, "waiting for domain db to start (it is shut off)"), wanted["db"].Spec);
        Assert.Equal(WebConsole.Region.RegionStatus.Waiting, new WebConsole.Sources.Unavailable.UnavailableSource(wanted["web"].Spec.Path!).Status);
        Assert.Equal(WebConsole.Region.RegionStatus.Invalid, new WebConsole.Sources.Unavailable.UnavailableSource("domain db's D-Bus bus admits only uid 1").Status);
    }

    [Fact]
    public void Wanted_ShutOffDomainWithoutADBusDisplay_IsNoConsole()
    {
        var wanted = Plan(new LibvirtOptions(), [], null, new LibvirtDomain("vnc", Uuid1, "<domain><devices><graphics type='vnc'/></devices></domain>", Running: false));
        Assert.Empty(wanted);
    }

    [Fact]
    public void Wanted_DomainsWithoutADBusDisplay_AreNoConsoles()
    {
        var wanted = Plan(new LibvirtOptions(), [], null, new LibvirtDomain("vnc", Uuid1, "<domain><devices><graphics type='vnc'/></devices></domain>"));
        Assert.Empty(wanted);
    }

    [Fact]
    public void LibvirtRoute_CannotBeWrittenAsSourceText()
    {
        Assert.False(SourceSpec.TryParse("qemu:libvirt=" + Uuid1, out _, out string? error));
        Assert.Contains("qemu source needs", error, StringComparison.Ordinal);
        Assert.False(SourceSpec.TryParse("unavailable:anything", out _, out _));
    }

    [Fact]
    public async Task Api_RefusesALibvirtRoute()
    {
        await using var server = new Hubs.ServerFactory(new() { ["Consoles:demo:Source"] = "demo" });
        using HttpClient api = server.CreateClient();
        using HttpResponseMessage put = await api.PutAsJsonAsync("/api/consoles/vm1", new { source = "qemu:libvirt=" + Uuid1 });
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
    }

    [Fact]
    public void BusRefusal_NamesTheUidAndUser_AndTheWayOut()
    {
        Assert.Null(LibvirtBusAccess.Refusal("vm1", 64055, 64055, _ => "libvirt-qemu"));
        Assert.Equal("domain vm1's D-Bus bus admits only uid 64055 (libvirt-qemu); run WebConsole as that user or use <graphics type='dbus' p2p='yes'/>",
            LibvirtBusAccess.Refusal("vm1", 64055, 0, _ => "libvirt-qemu"));
    }
}
