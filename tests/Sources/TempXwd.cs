namespace WebConsole.Tests.Sources;

/// <summary>A unique XWD file path under /dev/shm, deleted (with any temporaries) on dispose.</summary>
internal sealed class TempXwd : IDisposable
{
    public TempXwd(string name = "t")
    {
        Path = $"/dev/shm/webconsole-test-xwd-{name}-{Environment.ProcessId}-{Guid.NewGuid():N}";
    }

    public string Path { get; }

    public void Dispose()
    {
        foreach (string file in Directory.GetFiles("/dev/shm", System.IO.Path.GetFileName(Path) + "*"))
        {
            File.Delete(file);
        }
    }
}
