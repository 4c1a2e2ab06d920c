namespace WebConsole.Consoles;

/// <summary>The answer of <c>PUT /api/consoles/{id}</c>: <c>created</c>, <c>changed</c> or <c>unchanged</c>, and the console.</summary>
public sealed record ConsolePutResult(string Outcome, ConsoleListing Console);
