namespace WebConsole.Hosting;

/// <summary>
/// What the console page needs to know at start (<c>GET /client-config</c>, open to every caller):
/// the origins an embedding parent may have for postMessage (<c>Security:AllowedOrigins</c>).
/// </summary>
public sealed record ClientConfig(string[] AllowedOrigins)
{
    /// <summary>Where the page asks for it.</summary>
    public const string Path = "/client-config";
}
