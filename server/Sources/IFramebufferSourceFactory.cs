using WebConsole.Consoles;

namespace WebConsole.Sources;

/// <summary>Makes the source of a console of the live set; tests replace it.</summary>
public interface IFramebufferSourceFactory
{
    IFramebufferSource Create(string consoleId, ConsoleDefinition definition);
}
