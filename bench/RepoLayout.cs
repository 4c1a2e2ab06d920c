namespace WebConsole.Bench;

/// <summary>Where the repository and the Release server are, seen from the benchmark binaries.</summary>
internal static class RepoLayout
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The folder holding WebConsole.sln.</summary>
    public static string Root => s_root.Value;

    /// <summary>The server the end-to-end benchmarks start; bench's project reference builds it in the same configuration.</summary>
    public static string ServerDll => Path.Combine(Root, "server", "bin", "Release", "net10.0", "WebConsole.Server.dll");

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WebConsole.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no WebConsole.sln above {AppContext.BaseDirectory}");
    }
}
