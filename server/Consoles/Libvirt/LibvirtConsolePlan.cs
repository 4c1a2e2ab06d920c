using WebConsole.Sources;

namespace WebConsole.Consoles.Libvirt;

/// <summary>
/// From the domains to the console set libvirt wants: filtered by <c>Libvirt:Domains</c>, ids from
/// names or UUIDs, running p2p domains through virDomainOpenGraphicsFD, running bus-mode ones
/// through the address in their live XML when the bus admits this server (otherwise listed with why
/// not), and shut-off ones listed as waiting to start.
/// Pure: the provider feeds it what libvirt said and logs the notes once each.
/// </summary>
internal static class LibvirtConsolePlan
{
    /// <param name="busRefusal">Null when this server may open the bus at the address (domain name, address); otherwise why not.</param>
    /// <param name="notes">What an operator should know (a skipped domain, broken XML), one line per domain.</param>
    public static Dictionary<string, ConsoleDefinition> Wanted(IEnumerable<LibvirtDomain> domains, LibvirtOptions options,
        Func<string, string, string?> busRefusal, List<string> notes)
    {
        ArgumentNullException.ThrowIfNull(domains);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(busRefusal);
        ArgumentNullException.ThrowIfNull(notes);
        var filter = new LibvirtDomainFilter(options.Domains);
        var wanted = new Dictionary<string, ConsoleDefinition>(StringComparer.Ordinal);
        foreach (LibvirtDomain domain in domains)
        {
            if (!filter.Admits(domain.Name, domain.Uuid))
            {
                continue;
            }
            LibvirtDisplay display = domain.Xml is null
                ? LibvirtDisplay.Broken(domain.XmlError ?? "its XML could not be read")
                : LibvirtDomainXml.Parse(domain.Xml);
            if (display.Mode == LibvirtDisplayMode.None)
            {
                continue; // VNC, SPICE or no display: not ours to serve
            }
            string name = Shown(domain.Name);
            string id = options.IdsFromUuid ? domain.Uuid : domain.Name;
            if (!ConsoleDefinition.IsValidId(id))
            {
                notes.Add($"domain '{name}' left out: its name is no console id ({ConsoleDefinition.IdRule}); set Libvirt:IdFrom to uuid");
                continue;
            }
            if (!domain.Running)
            {
                // Listed as stopped, not removed: a page on it stays and shows the guest when it starts.
                wanted[id] = new ConsoleDefinition(SourceSpec.Unavailable(Stopped(name)));
                continue;
            }
            SourceSpec spec;
            switch (display.Mode)
            {
                case LibvirtDisplayMode.PeerToPeer when options.ReadOnly:
                    spec = SourceSpec.Unavailable($"domain {name} has a p2p D-Bus display, which a read-only libvirt connection cannot open (Libvirt:ReadOnly)");
                    break;
                case LibvirtDisplayMode.PeerToPeer:
                    spec = SourceSpec.ForLibvirtDomain(domain.Uuid);
                    break;
                case LibvirtDisplayMode.Bus when busRefusal(name, display.Address!) is string refused:
                    spec = SourceSpec.Unavailable(refused);
                    break;
                case LibvirtDisplayMode.Bus:
                    if (!SourceSpec.TryParse("qemu:dbus=" + display.Address, out SourceSpec? bus, out string? error))
                    {
                        spec = SourceSpec.Unavailable($"domain {name}: {error}");
                        break;
                    }
                    spec = bus!;
                    break;
                default:
                    string problem = $"domain {name}: {display.Problem}";
                    notes.Add(problem);
                    spec = SourceSpec.Unavailable(problem);
                    break;
            }
            wanted[id] = new ConsoleDefinition(spec);
        }
        return wanted;
    }

    /// <summary>The state of a defined domain that does not run (status waiting: it may start any time).</summary>
    public static string Stopped(string name) => $"waiting for domain {name} to start (it is shut off)";

    /// <summary>A domain name as it may appear in a log line or a state: printable, at most 64 characters.</summary>
    public static string Shown(string name)
    {
        var shown = new System.Text.StringBuilder(Math.Min(name.Length, 64));
        foreach (char c in name.AsSpan(0, Math.Min(name.Length, 64)))
        {
            shown.Append(char.IsControl(c) ? '?' : c);
        }
        return name.Length > 64 ? shown.Append('…').ToString() : shown.ToString();
    }
}
