namespace WebConsole.Sources;

/// <summary>
/// Where the hosted demo producer writes each demo console's region: per server process, so
/// several servers (or test runs) on one machine never share a file.
/// </summary>
public sealed class DemoRegionPaths
{
    private readonly string _directory = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    public string For(string consoleId) => Path.Combine(_directory, $"webconsole-{Environment.ProcessId}-demo-{consoleId}.fb");
}
