namespace WebConsole.Sources;

/// <summary>Makes the source for a configured console; tests replace it.</summary>
public interface IFramebufferSourceFactory
{
    IFramebufferSource Create(string consoleId, SourceSpec spec);
}
