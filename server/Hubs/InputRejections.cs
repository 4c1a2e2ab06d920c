using WebConsole.Security;

namespace WebConsole.Hubs;

/// <summary>
/// Server-wide tally of input events the hub rejected (no keyboard or mouse could produce them):
/// one warning per second at most, with the count, however many connections send them.
/// </summary>
internal sealed class InputRejections(TimeProvider time)
{
    public RefusalTally Tally { get; } = new(time, TimeSpan.FromSeconds(1));
}
