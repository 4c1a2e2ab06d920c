namespace WebConsole.Tests.Demo;

/// <summary>A unique region path under /dev/shm; dispose deletes it and any temporaries next to it.</summary>
internal sealed class DemoRegionFile : IDisposable
{
    public string Path { get; } = $"/dev/shm/webconsole-test-demo-{Guid.NewGuid():N}.fb";

    public void Dispose()
    {
        foreach (string file in Directory.GetFiles("/dev/shm", System.IO.Path.GetFileName(Path) + "*"))
        {
            File.Delete(file);
        }
    }
}
