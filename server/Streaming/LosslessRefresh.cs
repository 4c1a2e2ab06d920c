using WebConsole.Encoding;

namespace WebConsole.Streaming;

/// <summary>
/// The lossless refresh: tiles a viewer last received as JPEG that have been still for
/// <c>Streaming:RefreshAfterMs</c> go to it again as PNG, a slice at a time, within its refresh budget.
/// </summary>
internal sealed class LosslessRefresh(TimeProvider time, ChangeHeat heat, int refreshAfterMs)
{
    // Lossless refresh: at most 16 tiles (256 KB of pixels) per message, half the bandwidth a
    // viewer's acks show, up to 512 KB saved up (TigerVNC also spends a share of the measured rate).
    private const int RefreshSliceTiles = 16;
    private const double RefreshShare = 0.5;
    private const double RefreshBurst = 512 * 1024;

    private readonly TimeSpan _refreshAfter = TimeSpan.FromMilliseconds(refreshAfterMs);

    public bool Enabled => _refreshAfter != TimeSpan.Zero;

    /// <summary>
    /// Viewers with nothing in flight and nothing pending join <paramref name="groups"/> with a slice
    /// of their still JPEG areas; viewers due the same slice share one encode. Live changes always
    /// find a free slot (a refresh goes only when none is in flight), so they never wait behind a refresh.
    /// </summary>
    public void CollectDue(ViewerSet viewers, CatchUpGroups groups)
    {
        long now = time.GetTimestamp();
        foreach (Viewer viewer in viewers.All)
        {
            if (viewer.Lossy.IsEmpty || viewer.InFlight > 0 || viewer.NeedsResize || !viewer.Pending.IsEmpty ||
                !viewer.RefreshAllowed(RefreshShare, RefreshBurst) ||
                viewer.Lossy.CollectStill(heat, now, _refreshAfter, RefreshSliceTiles, groups.Pending) == 0)
            {
                continue;
            }
            groups.Join(viewer);
        }
    }

    /// <summary>Whether some viewer has areas still to refresh (the loop then waits briefly, not idly).</summary>
    public bool AnyDue(ViewerSet viewers) => Enabled && viewers.AnyLossy();

    /// <summary>JPEG parts make their tiles due for a refresh; lossless parts settle the tiles they cover.</summary>
    public static void Track(Viewer viewer, EncodedUpdate update)
    {
        foreach (EncodedRect part in update.Rects)
        {
            if (part.Kind == RectKind.Jpeg)
            {
                viewer.Lossy.Mark(part.Rect);
            }
            else
            {
                viewer.Lossy.Clear(part.Rect);
            }
        }
    }
}
