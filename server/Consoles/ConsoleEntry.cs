using WebConsole.Streaming;

namespace WebConsole.Consoles;

/// <summary>
/// One console of the live set: its definition, who owns it, the session that serves it, and since
/// when it exists (a ticket minted before that, for an earlier console of the same id, admits nobody).
/// </summary>
internal sealed record ConsoleEntry(string Id, ConsoleDefinition Definition, ConsoleOrigin Origin, ConsoleSession Session, DateTimeOffset Since);
