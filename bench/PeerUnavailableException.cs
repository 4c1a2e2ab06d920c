namespace WebConsole.Bench;

/// <summary>A peer that cannot run here (a missing package, a source the server does not know): the benchmark says why and goes on without it.</summary>
internal sealed class PeerUnavailableException : Exception
{
    public PeerUnavailableException()
    {
    }

    public PeerUnavailableException(string message)
        : base(message)
    {
    }

    public PeerUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
