using Xunit.Abstractions;

namespace WebConsole.Tests.Consoles;

/// <summary>
/// Consoles edited in appsettings.json and in a key-per-file directory while the server runs: good
/// edits are applied without a restart, a bad one is refused with one error naming the key and the
/// running set stays as it was.
/// </summary>
public sealed class ConfigurationReloadTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan s_applied = TimeSpan.FromSeconds(10);
    private readonly string _root = Directory.CreateTempSubdirectory("webconsole-reload-").FullName;

    private string Settings => Path.Combine(_root, "appsettings.json");

    private string KeyFiles => Path.Combine(_root, "conf.d");

    private void WriteSettings(string consoles) =>
        // Written beside and renamed, as editors and config management do: the watcher never reads half a file.
        Replace(Settings, $$"""{ "Logging": { "LogLevel": { "Default": "Information" } }, "Consoles": { {{consoles}} } }""");

    private static void Replace(string path, string text)
    {
        File.WriteAllText(path + ".tmp", text);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    [Fact]
    public async Task EditsAreApplied_WhileTheServerRuns_AndABadEditIsRefusedWithOneError()
    {
        Directory.CreateDirectory(KeyFiles);
        WriteSettings("""
            "c1": { "Source": "region:/nonexistent/reload-c1.fb" }
            """);
        File.WriteAllText(Path.Combine(KeyFiles, "Consoles__k1__Source"), "region:/nonexistent/reload-k1.fb");
        await using ConsoleServer server = await ConsoleServer.StartAsync("--contentRoot", _root, "--configDirectory", KeyFiles);
        Assert.Equal(["c1", "k1"], await server.IdsAsync());

        // appsettings.json: a console added, and one changed.
        WriteSettings("""
            "c1": { "Source": "region:/nonexistent/reload-c1-b.fb" },
            "c2": { "Source": "demo" }
            """);
        await UntilAsync(server, ids => ids.SequenceEqual(["c1", "c2", "k1"]));
        Assert.Contains(await server.ListAsync(), c => c.GetProperty("source").GetString() == "region:/nonexistent/reload-c1-b.fb");

        // A bad edit: nothing of it is applied, not even its good part, and it is logged once.
        WriteSettings("""
            "c1": { "Source": "region:/nonexistent/reload-c1-b.fb" },
            "c3": { "Source": "region:relative/path" }
            """);
        await Task.Delay(3000);
        Assert.Equal(["c1", "c2", "k1"], await server.IdsAsync());
        string[] refused = [.. server.Log.Where(l => l.Contains("Configuration change to Consoles refused", StringComparison.Ordinal))];
        output.WriteLine(string.Join('\n', refused));
        Assert.Single(refused);
        string detail = string.Join('\n', server.Log.SkipWhile(l => !l.Contains("Configuration change to Consoles refused", StringComparison.Ordinal)).Take(2));
        Assert.Contains("Consoles:c3:Source", detail, StringComparison.Ordinal);

        // Fixed, and c2 dropped: applied.
        WriteSettings("""
            "c1": { "Source": "region:/nonexistent/reload-c1-b.fb" },
            "c3": { "Source": "region:/nonexistent/reload-c3.fb" }
            """);
        await UntilAsync(server, ids => ids.SequenceEqual(["c1", "c3", "k1"]));

        // Key-per-file (a mounted ConfigMap): a file added is a console added; removed, removed.
        File.WriteAllText(Path.Combine(KeyFiles, "Consoles__k2__Source"), "demo");
        await UntilAsync(server, ids => ids.SequenceEqual(["c1", "c3", "k1", "k2"]));
        File.Delete(Path.Combine(KeyFiles, "Consoles__k1__Source"));
        await UntilAsync(server, ids => ids.SequenceEqual(["c1", "c3", "k2"]));
        // The one refusal is the only error the server logged.
        Assert.Single(server.Log, l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABadSectionAtStartUp_StopsTheServer_NamingTheKey()
    {
        WriteSettings("""
            "ok": { "Source": "demo" },
            "bad": { "Source": "region:relative" }
            """);
        InvalidOperationException e = await Assert.ThrowsAsync<InvalidOperationException>(() => ConsoleServer.StartAsync("--contentRoot", _root));
        Assert.Contains("Consoles:bad:Source", e.Message, StringComparison.Ordinal);
    }

    private static async Task UntilAsync(ConsoleServer server, Func<string[], bool> done)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string[] ids = [];
        while (clock.Elapsed < s_applied)
        {
            ids = await server.IdsAsync();
            if (done(ids))
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"not applied within {s_applied.TotalSeconds} s; consoles now: {string.Join(", ", ids)}");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
