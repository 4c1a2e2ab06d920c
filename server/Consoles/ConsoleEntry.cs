using WebConsole.Streaming;

namespace WebConsole.Consoles;

/// <summary>
/// One console of the live set: its definition, who owns it, the session that serves it, and its
/// incarnation: 0 for a console from configuration (the same console across restarts), otherwise
/// a number no earlier console of the same id had. Tickets carry it, so a ticket minted for a
/// console that was removed admits nobody to a later console given the same id.
/// </summary>
internal sealed record ConsoleEntry(string Id, ConsoleDefinition Definition, ConsoleOrigin Origin, ConsoleSession Session, long Incarnation);
