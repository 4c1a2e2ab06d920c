namespace WebConsole.Hosting;

/// <summary>Finds the browser files whether the server runs from the repository or from a publish folder.</summary>
internal static class ContentLocator
{
    /// <summary>The web root: a <c>wwwroot</c> holding console.html next to the binaries or in a parent folder.</summary>
    public static string? FindWebRoot(string start)
    {
        for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "wwwroot");
            if (File.Exists(Path.Combine(candidate, "console.html")))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>The npm client libraries the build copies next to the binaries.</summary>
    public static string ClientLibraries => Path.Combine(AppContext.BaseDirectory, "clientlib");
}
