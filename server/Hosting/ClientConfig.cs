namespace WebConsole.Hosting;

/// <summary>
/// What the console page needs to know at start (<c>GET /api/client-config</c>): the origins an
/// embedding parent may have for postMessage (<c>Security:AllowedOrigins</c>).
/// </summary>
public sealed record ClientConfig(string[] AllowedOrigins);
