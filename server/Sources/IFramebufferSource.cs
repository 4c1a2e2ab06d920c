using WebConsole.Region;
using WebConsole.Sources.Clipboard;

namespace WebConsole.Sources;

/// <summary>
/// A display the server can show. One capture loop owns a source; <see cref="Poll"/> and the
/// frame accessors are not thread-safe.
/// </summary>
public interface IFramebufferSource : IDisposable
{
    /// <summary>Waiting for a producer, invalid (see <see cref="Reason"/>) or ready.</summary>
    RegionStatus Status { get; }

    /// <summary>Why the source is not ready, for the viewer's status line.</summary>
    string? Reason { get; }

    int Width { get; }

    int Height { get; }

    /// <summary>The current frame, XRGB8888, <see cref="Stride"/> bytes per row; valid until the next poll.</summary>
    ReadOnlyMemory<byte> Frame { get; }

    int Stride { get; }

    /// <summary>Rectangles that changed in the last poll; the whole frame for sources that track no damage.</summary>
    IReadOnlyList<PixelRect> Damage { get; }

    /// <summary>
    /// Waits until the source may have something new (a completed request, a publish, or the
    /// timeout). Called without any lock held; never longer than <paramref name="maxWait"/>.
    /// </summary>
    void WaitForUpdate(TimeSpan maxWait);

    /// <summary>
    /// Makes a <see cref="WaitForUpdate"/> in progress (or the next one) return early, so a capture
    /// loop can sleep long on a still screen and still answer a join or an ack at once. Any thread.
    /// </summary>
    void Wake();

    /// <summary>
    /// The console is stopping: unblocks a thread waiting on the peer (a <see cref="Poll"/> stuck
    /// on a server that accepted and went silent) and makes every later call fail fast. Any thread;
    /// sources that never wait on a peer need do nothing.
    /// </summary>
    void Interrupt()
    {
    }

    /// <summary>
    /// True when the producer renders only when asked (a region in requested mode): a frame read
    /// while nobody watches may be old until <see cref="WaitForUpdate"/> has asked for a new one.
    /// Other sources' frames are current as soon as they are read.
    /// </summary>
    bool AnswersRequests => false;

    /// <summary>Brings the frame up to date and says what changed.</summary>
    RegionChange Poll();

    /// <summary>
    /// Nobody watches any more: frees the full-size buffers (frame, raw copies). The next
    /// <see cref="Poll"/> reads a whole frame again and reports it as a restart.
    /// </summary>
    void ReleaseFrame()
    {
    }

    /// <summary>Passes an input event to the display; false when it cannot take it now.</summary>
    bool TrySendInput(in InputEvent e);

    /// <summary>
    /// The cursor plane as of the last poll, and its image (ARGB8888 bytes B, G, R, A, straight alpha,
    /// <see cref="RegionFormat.CursorMax"/> pixels per row). False when the source has no cursor plane.
    /// </summary>
    bool TryGetCursor(out CursorState cursor, out ReadOnlySpan<byte> image)
    {
        cursor = default;
        image = default;
        return false;
    }

    /// <summary>
    /// The guest's clipboard, when this source has one (an X server's selections, QEMU's
    /// org.qemu.Display1.Clipboard); null when it has none, and the page then points to Type text.
    /// Owned by the source: valid until the source is disposed.
    /// </summary>
    IGuestClipboard? Clipboard => null;
}
