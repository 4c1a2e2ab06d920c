namespace WebConsole.Consoles;

/// <summary>The body of <c>PUT /api/consoles/{id}</c>: the same fields as <c>Consoles:&lt;id&gt;</c> in configuration.</summary>
public sealed record ConsolePutRequest(string? Source, string? Display, string? Clipboard = null);
