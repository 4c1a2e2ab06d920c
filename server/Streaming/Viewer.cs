namespace WebConsole.Streaming;

/// <summary>One connection watching a console, with its own flow control.</summary>
internal sealed class Viewer(string connectionId)
{
    private int _inFlight;

    public string ConnectionId { get; } = connectionId;

    /// <summary>Tiles this viewer has not received yet; touched only by the capture loop.</summary>
    public TileSet Pending { get; } = new();

    /// <summary>The viewer needs a Resize message before its next update.</summary>
    public bool NeedsResize { get; set; } = true;

    public int InFlight => Volatile.Read(ref _inFlight);

    public void Sent() => Interlocked.Increment(ref _inFlight);

    /// <summary>
    /// An acknowledgement (or a failed send) frees one slot; never below zero. Returns the number
    /// in flight before, so the caller knows whether the viewer was held back.
    /// </summary>
    public int Acknowledged()
    {
        int current;
        do
        {
            current = Volatile.Read(ref _inFlight);
            if (current == 0)
            {
                return 0;
            }
        }
        while (Interlocked.CompareExchange(ref _inFlight, current - 1, current) != current);
        return current;
    }
}
