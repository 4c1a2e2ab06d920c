namespace WebConsole.Sources.Demo;

/// <summary>
/// Where each demo console's producer writes its region: per server process and per console
/// incarnation, so several servers (or test runs) on one machine never share a file, and a demo
/// console removed and added again never meets the file its predecessor is still deleting.
/// </summary>
public sealed class DemoRegionPaths
{
    private readonly string _directory = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
    private long _next;

    public string For(string consoleId) =>
        Path.Combine(_directory, $"webconsole-{Environment.ProcessId}-demo-{consoleId}-{Interlocked.Increment(ref _next)}.fb");
}
