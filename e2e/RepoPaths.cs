using System.Reflection;

namespace WebConsole.E2E;

/// <summary>Where the repository and the built server are, seen from the test binaries.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The folder holding WebConsole.sln.</summary>
    public static string Root => s_root.Value;

    /// <summary>Debug or Release: the server is started from the same configuration the tests were built in.</summary>
    public static string Configuration =>
        typeof(RepoPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string ServerDll => Path.Combine(Root, "server", "bin", Configuration, "net10.0", "WebConsole.Server.dll");

    /// <summary>Where screenshots go: next to the test binaries, never committed.</summary>
    public static string Screenshots => Path.Combine(AppContext.BaseDirectory, "screenshots");

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
