using Microsoft.Extensions.Options;
using WebConsole.Demo;
using WebConsole.Sources;

namespace WebConsole.Hosting;

/// <summary>
/// Runs the demo producer for every <c>demo</c> console, writing a real region that the console
/// then reads like any other. It runs in requested mode: it renders only while someone watches.
/// </summary>
internal sealed partial class DemoProducerService(
    IOptions<ConsolesOptions> consoles, DemoRegionPaths paths, TimeProvider time, ILogger<DemoProducerService> logger) : BackgroundService
{
    private readonly ILogger _logger = logger;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new List<Task>();
        foreach (var (id, console) in consoles.Value)
        {
            if (!SourceSpec.TryParse(console.Source, out SourceSpec? spec, out _) || spec!.Kind != SourceKind.Demo)
            {
                continue;
            }
            string path = paths.For(id);
            LogStarting(id, path);
            var producer = new DemoProducer(new DemoProducerOptions { Path = path, Requested = true }, time);
            running.Add(RunAsync(id, producer, stoppingToken));
        }
        return Task.WhenAll(running);
    }

    private async Task RunAsync(string id, DemoProducer producer, CancellationToken stoppingToken)
    {
        try
        {
            await producer.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // The console shows "waiting for producer"; the rest of the server carries on.
            LogFailed(e, id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo producer for console {ConsoleId} writes {Path}")]
    private partial void LogStarting(string consoleId, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Demo producer for console {ConsoleId} stopped")]
    private partial void LogFailed(Exception exception, string consoleId);
}
