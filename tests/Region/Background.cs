namespace WebConsole.Tests.Region;

/// <summary>Runs a test's producer on its own thread, so a busy thread pool cannot starve it.</summary>
internal static class Background
{
    public static Task Run(Action action) =>
        Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
