namespace WebConsole.Consoles;

/// <summary>
/// The <c>Consoles</c> section: console id to its options, plus <c>Consoles:MaxConsoles</c>. Re-read
/// whenever configuration changes (see <see cref="ConfigurationConsoles"/>). With no console
/// configured and no libvirt, one demo console.
/// </summary>
public sealed class ConsolesOptions : Dictionary<string, ConsoleOptions>
{
    /// <summary>
    /// The default cap on the live set. An unwatched console holds about 4 file descriptors and at
    /// most one thread (docs/PERFORMANCE.md, "Consoles per server"); 256 of them stay well inside a
    /// service's default descriptor limit of 1024 with room for their viewers' sockets.
    /// </summary>
    public const int DefaultMaxConsoles = 256;

    /// <summary>The reserved key under <c>Consoles</c> that holds the cap; no console may have this id.</summary>
    public const string MaxConsolesKey = "MaxConsoles";

    public ConsolesOptions()
        : base(StringComparer.Ordinal)
    {
    }

    /// <summary>At most this many consoles, from every origin together (1 to 100000).</summary>
    public int MaxConsoles { get; set; } = DefaultMaxConsoles;

    /// <summary>What could not even be read (e.g. <c>Consoles:MaxConsoles</c> not a number); the validator reports it.</summary>
    public List<string> BindingProblems { get; } = [];

    /// <summary>Fills <paramref name="options"/> from the <c>Consoles</c> section.</summary>
    public static void Bind(IConfigurationSection section, ConsolesOptions options)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);
        foreach (IConfigurationSection child in section.GetChildren())
        {
            if (string.Equals(child.Key, MaxConsolesKey, StringComparison.OrdinalIgnoreCase))
            {
                if (int.TryParse(child.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int max))
                {
                    options.MaxConsoles = max;
                }
                else
                {
                    options.BindingProblems.Add($"Consoles:{MaxConsolesKey}: '{child.Value}' is not a whole number");
                }
                continue;
            }
            options[child.Key] = new ConsoleOptions { Source = child["Source"] ?? child.Value, Display = child["Display"], Clipboard = child["Clipboard"] };
        }
    }
}
