namespace WebConsole.Bench;

/// <summary>The options of one <c>peers</c> run: latency samples per workload, screen size, WebConsole's X sources, animation and idle seconds, where screenshots go (empty: none).</summary>
internal sealed record PeersOptions(int Samples, int Width, int Height, string[] Sources, int Seconds, int IdleSeconds, string Screenshots);
