namespace WebConsole.Consoles;

/// <summary>The answer of <c>GET /api/consoles/changes</c>: the console set's version now (ask again with it).</summary>
public sealed record ConsoleSetChange(long Version);
