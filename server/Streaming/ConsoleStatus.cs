using WebConsole.Hubs;

namespace WebConsole.Streaming;

/// <summary>What <c>GET /api/consoles</c> reports for one console.</summary>
public sealed record ConsoleStatus(string Id, string Source, string State, string? Reason, int Width, int Height, int Viewers)
{
    /// <summary>The answer a joining viewer gets.</summary>
    public JoinResult ToJoinResult() => new(Width, Height, State, Reason);
}
