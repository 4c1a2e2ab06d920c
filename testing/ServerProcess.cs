using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace WebConsole.Testing;

/// <summary>
/// Starts the built server (server/bin/&lt;configuration&gt;/net10.0/WebConsole.Server.dll) as a child
/// process and waits for its "Now listening on" line. Shared by the browser tests (e2e/) and the
/// benchmarks (bench/), which link this file.
/// </summary>
internal static partial class ServerProcess
{
    /// <summary>
    /// The start info for <paramref name="dll"/> with the repository's content and web roots,
    /// <paramref name="url"/> to listen on, and <paramref name="arguments"/> after the common ones.
    /// </summary>
    public static ProcessStartInfo Info(string repoRoot, string dll, string url, IEnumerable<string> arguments)
    {
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: dotnet build WebConsole.sln -c Release");
        }
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(repoRoot, "server"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        string[] common =
        [
            "--urls", url,
            "--contentRoot", Path.Combine(repoRoot, "server"),
            "--webroot", Path.Combine(repoRoot, "wwwroot"),
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime", "Information",
        ];
        foreach (string argument in common.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT"); // Production: Development would look for static web assets
        info.Environment["DOTNET_NOLOGO"] = "1";
        return info;
    }

    /// <summary>Starts the process, collecting every line it writes into <paramref name="log"/>, and waits until it listens.</summary>
    public static async Task<(Process Process, Uri Address)> StartAsync(ProcessStartInfo info, ConcurrentQueue<string> log, TimeSpan timeout)
    {
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("the server exited before listening"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return (process, await listening.Task.WaitAsync(timeout));
        }
        catch (Exception e)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            // Exited can come before the last lines are read: WaitForExit() waits for the end of both streams.
            process.WaitForExit();
            process.Dispose();
            throw new InvalidOperationException($"server did not start: {e.Message}\n{string.Join('\n', log)}", e);
        }

        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }
            log.Enqueue(line);
            Match match = ListeningLine().Match(line);
            if (match.Success)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
            }
        }
    }

    [GeneratedRegex(@"Now listening on:\s*(http://\S+)")]
    private static partial Regex ListeningLine();
}
