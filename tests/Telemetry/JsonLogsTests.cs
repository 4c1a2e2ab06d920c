using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using WebConsole.Tests.Hubs;

namespace WebConsole.Tests.Telemetry;

/// <summary>Structured logs: <c>Logging:Console:FormatterName=json</c> makes every console line one JSON object.</summary>
public sealed class JsonLogsTests
{
    [Fact]
    public async Task Server_WritesJsonLogLines_WhenTheJsonFormatterIsConfigured()
    {
        string configuration = typeof(JsonLogsTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        string dll = Path.Combine(ServerFactory.RepoRoot, "server", "bin", configuration, "net10.0", "WebConsole.Server.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[]
        {
            dll, "--urls", "http://127.0.0.1:0", "--Logging:Console:FormatterName", "json",
            "--Consoles:j:Source", "region:/dev/shm/webconsole-test-json-logs-absent.fb",
        })
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment.Remove("ASPNETCORE_URLS");
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            lines.Enqueue(e.Data);
            if (e.Data.Contains("Now listening on", StringComparison.Ordinal))
            {
                listening.TrySetResult(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) => lines.Enqueue("stderr: " + e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            Assert.Fail("the server never said where it listens:\n" + string.Join('\n', lines));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
        Assert.NotEmpty(lines);
        foreach (string line in lines)
        {
            if (line.StartsWith("stderr: ", StringComparison.Ordinal))
            {
                continue;
            }
            using JsonDocument entry = JsonDocument.Parse(line); // throws on a plain-text line
            Assert.True(entry.RootElement.TryGetProperty("Category", out _), line);
            Assert.True(entry.RootElement.TryGetProperty("LogLevel", out _), line);
            Assert.True(entry.RootElement.TryGetProperty("Message", out _), line);
        }
    }
}
