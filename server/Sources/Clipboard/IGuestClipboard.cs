namespace WebConsole.Sources.Clipboard;

/// <summary>
/// A guest's clipboard, text only (UTF-8), as a source offers it through
/// <see cref="IFramebufferSource.Clipboard"/>. Downstream code finds out what a console can do from
/// this object, never from the source's type.
/// </summary>
/// <remarks>
/// Thread rules: <see cref="SetText"/> and <see cref="Subscribe"/> may be called from any thread
/// and never block on the peer. The source calls a subscriber from its own thread, with text that
/// it has already bounded by its configured size limit and checked as UTF-8; a subscriber must not
/// block or throw. Clipboard text is never logged, only its size.
/// </remarks>
public interface IGuestClipboard
{
    /// <summary>Which ways text can cross now (a QEMU console gains both once a vdagent registers).</summary>
    ClipboardDirections Directions { get; }

    /// <summary>Why <see cref="Directions"/> is less than the source could offer, for the page's panel; null when nothing is missing.</summary>
    string? Reason { get; }

    /// <summary>Raised (any thread) when <see cref="Directions"/> or <see cref="Reason"/> changes.</summary>
    event Action? Changed;

    /// <summary>
    /// Browser to guest: the guest's clipboard becomes <paramref name="text"/> (the source takes
    /// ownership of the selection, or grabs the guest's clipboard). False when it cannot now
    /// (<see cref="ClipboardDirections.ToGuest"/> not set). Returns once the guest side has been
    /// told, so a paste key sent afterwards pastes this text.
    /// </summary>
    ValueTask<bool> SetTextAsync(string text, CancellationToken cancellationToken);

    /// <summary>
    /// Guest to browser: <paramref name="onGuestText"/> is called with each new text the guest
    /// copies. Disposing the result stops the calls.
    /// </summary>
    IDisposable Subscribe(Action<string> onGuestText);
}
