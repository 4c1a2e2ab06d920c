using WebConsole.Region;
using WebConsole.Sources;

namespace WebConsole.Streaming;

/// <summary>
/// A console's source and the lock every call into it takes (the capture loop, unwatched polls,
/// thumbnails, input and the stop): a source is not thread-safe, and the reading every request
/// sees (<see cref="SourceStatusBoard"/>) is updated from each poll.
/// </summary>
internal sealed class GatedSource(IFramebufferSource source, SourceStatusBoard status)
{
    public IFramebufferSource Source { get; } = source;

    public SourceStatusBoard Status { get; } = status;

    /// <summary>The gate for the source.</summary>
    public Lock Gate { get; } = new();

    /// <summary>One poll of the source, with the reading every request sees updated from it.</summary>
    public RegionChange Poll()
    {
        Status.Enter();
        RegionChange change = RegionChange.None;
        try
        {
            change = Source.Poll();
            return change;
        }
        finally
        {
            Status.Exit(ConsoleSession.StateName(Source.Status), Source.Reason, Source.Width, Source.Height);
        }
    }
}
