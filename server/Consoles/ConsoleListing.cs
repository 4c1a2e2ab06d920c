namespace WebConsole.Consoles;

/// <summary>One console as <c>GET /api/consoles</c> lists it: its state as last read, and where it came from.</summary>
public sealed record ConsoleListing(string Id, string Source, string State, string? Reason, int Width, int Height, int Viewers, string Origin);
