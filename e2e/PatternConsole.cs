using Xunit.Abstractions;

namespace WebConsole.E2E;

/// <summary>A region console showing <see cref="Scenes.Pattern"/>, written by a test producer that also drains input.</summary>
internal static class PatternConsole
{
    /// <summary>Creates the region and its producer and starts a server with the console <paramref name="id"/>; the caller disposes all three.</summary>
    public static async Task<(WebConsoleServer Server, TestProducer Producer, TempRegion Region)> StartAsync(string id, ITestOutputHelper output)
    {
        var region = new TempRegion(id);
        var producer = new TestProducer(region.Path, Scenes.Width, Scenes.Height);
        producer.Publish(Scenes.Pattern());
        WebConsoleServer server = await WebConsoleServer.StartAsync([ServerConsole.Region(id, region.Path)], output);
        return (server, producer, region);
    }
}
