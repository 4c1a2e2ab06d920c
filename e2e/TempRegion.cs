namespace WebConsole.E2E;

/// <summary>A unique region path under /dev/shm, deleted (with any temporaries) on dispose.</summary>
internal sealed class TempRegion : IDisposable
{
    public TempRegion(string name)
    {
        Path = $"/dev/shm/webconsole-e2e-{name}-{Environment.ProcessId}-{Guid.NewGuid():N}.fb";
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
