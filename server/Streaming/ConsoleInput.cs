using WebConsole.Region;

namespace WebConsole.Streaming;

/// <summary>Viewers' input into a console's source, under the source's gate.</summary>
internal sealed class ConsoleInput(GatedSource gated)
{
    /// <summary>How long input waits for the source's lock (held by a poll) before it is refused.</summary>
    private static readonly TimeSpan InputLockWait = TimeSpan.FromMilliseconds(100);

    public bool TrySendInput(in InputEvent e)
    {
        if (!gated.Gate.TryEnter(InputLockWait))
        {
            return false; // a poll holds the source (stuck on its peer): refused like a full ring
        }
        try
        {
            return gated.Source.TrySendInput(e);
        }
        finally
        {
            gated.Gate.Exit();
        }
    }

    /// <summary>
    /// Queues a viewer's input for the source, pointer positions clamped to the frame. Returns how
    /// many events went in; fewer than given when the source's input ring is full or it has no frame.
    /// </summary>
    public int SendInput(ReadOnlySpan<InputEvent> events)
    {
        if (!gated.Gate.TryEnter(InputLockWait))
        {
            return 0; // a poll holds the source (stuck on its peer): refused like a full ring
        }
        try
        {
            int width = gated.Source.Width, height = gated.Source.Height;
            if (width == 0 || height == 0)
            {
                return 0;
            }
            for (int i = 0; i < events.Length; i++)
            {
                InputEvent e = events[i];
                if (e.Type == InputEventType.Pointer)
                {
                    e = e with { X = Math.Clamp(e.X, 0, width - 1), Y = Math.Clamp(e.Y, 0, height - 1) };
                }
                if (!gated.Source.TrySendInput(e))
                {
                    return i;
                }
            }
            return events.Length;
        }
        finally
        {
            gated.Gate.Exit();
        }
    }
}
