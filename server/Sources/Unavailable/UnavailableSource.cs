using WebConsole.Region;

namespace WebConsole.Sources.Unavailable;

/// <summary>
/// A console that is listed but cannot be shown, with why (<see cref="SourceKind.Unavailable"/>):
/// invalid, or waiting when the reason says "waiting for..." (a libvirtd that went away). It goes
/// through the normal pipeline, so viewers, the list and thumbnails show the reason like any other state.
/// </summary>
public sealed class UnavailableSource : IFramebufferSource
{
    private readonly ManualResetEventSlim _wake = new(false);
    private bool _reported;

    /// <summary>Says <paramref name="reason"/> and shows nothing.</summary>
    public UnavailableSource(string reason)
    {
        Reason = reason;
        Status = reason.StartsWith("waiting for", StringComparison.Ordinal) ? RegionStatus.Waiting : RegionStatus.Invalid;
    }

    public RegionStatus Status { get; }

    public string? Reason { get; }

    public int Width => 0;

    public int Height => 0;

    public ReadOnlyMemory<byte> Frame => ReadOnlyMemory<byte>.Empty;

    public int Stride => 0;

    public IReadOnlyList<PixelRect> Damage => [];

    public void WaitForUpdate(TimeSpan maxWait)
    {
        if (_wake.Wait(maxWait))
        {
            _wake.Reset();
        }
    }

    public void Wake() => _wake.Set();

    /// <summary>The state once, then nothing ever changes.</summary>
    public RegionChange Poll()
    {
        if (_reported)
        {
            return RegionChange.None;
        }
        _reported = true;
        return RegionChange.Status;
    }

    public bool TrySendInput(in InputEvent e) => false;

    public void Dispose()
    {
        // The wake event stays undisposed, as in the other sources: a capture loop may still touch it.
    }
}
