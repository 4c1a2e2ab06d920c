namespace WebConsole.Consoles;

/// <summary>Where a console of the live set came from; only its origin may change or remove it.</summary>
public enum ConsoleOrigin
{
    /// <summary>The <c>Consoles</c> section of configuration (appsettings.json, key-per-file, environment...), re-read on change.</summary>
    Configuration,

    /// <summary>The management API: <c>PUT</c> and <c>DELETE /api/consoles/{id}</c>.</summary>
    Api,

    /// <summary>A libvirt domain with a D-Bus display (<c>Libvirt:Uri</c>).</summary>
    Libvirt,
}
