using System.Diagnostics;
using System.Text;

namespace WebConsole.Tests.Packaging;

/// <summary>
/// Builds the Debian package with packaging/build-deb.sh and runs the host's own tools on it:
/// dpkg, lintian, systemd-analyze. Commands run as the test's user (root under ./test.sh).
/// </summary>
internal static class DebianPackage
{
    public static string RepoRoot { get; } = FindRoot();

    public static string BuildScript => Path.Combine(RepoRoot, "packaging", "build-deb.sh");

    public static string UnitPath => "/lib/systemd/system/webconsole.service";

    /// <summary>Runs <paramref name="file"/> and returns its exit code and everything it printed.</summary>
    public static (int Code, string Output) Run(string file, params string[] arguments) => Run(file, null, arguments);

    public static (int Code, string Output) Run(string file, IDictionary<string, string>? environment, params string[] arguments)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoRoot,
        };
        foreach (string a in arguments)
        {
            info.ArgumentList.Add(a);
        }
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        using Process p = Process.Start(info)!;
        var output = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} ran for 5 minutes");
        }
        p.WaitForExit();
        lock (output)
        {
            return (p.ExitCode, output.ToString());
        }
    }

    /// <summary>Runs and fails the test with the command's output when it does not exit 0.</summary>
    public static string Must(string file, params string[] arguments)
    {
        (int code, string output) = Run(file, arguments);
        Assert.True(code == 0, $"{file} {string.Join(' ', arguments)} exited {code}:\n{output}");
        return output;
    }

    /// <summary>The installed version of webconsole, or null when it is not installed.</summary>
    public static string? InstalledVersion()
    {
        (int code, string output) = Run("dpkg-query", "-W", "-f=${Status}|${Version}", "webconsole");
        if (code != 0)
        {
            return null;
        }
        string[] parts = output.Trim().Split('|');
        return parts[0].EndsWith(" installed", StringComparison.Ordinal) ? parts[1] : null;
    }

    /// <summary>Key=value lines of the [Service] section (the last of each key wins, as in systemd for these).</summary>
    public static Dictionary<string, string> ServiceSection(string unitText)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        bool inService = false;
        foreach (string raw in unitText.Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith('['))
            {
                inService = line == "[Service]";
                continue;
            }
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (inService && eq > 0 && !line.StartsWith('#'))
            {
                values[line[..eq]] = line[(eq + 1)..];
            }
        }
        return values;
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WebConsole.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("no WebConsole.sln above the tests");
    }
}
