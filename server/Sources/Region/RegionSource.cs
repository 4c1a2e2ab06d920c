using WebConsole.Region;

namespace WebConsole.Sources.Region;

/// <summary>A shared framebuffer region: damage from the producer, requests when it runs in requested mode.</summary>
public sealed class RegionSource : IFramebufferSource
{
    private readonly RegionReader _reader;

    /// <summary>A region source; a mode over <paramref name="budget"/> (default: unlimited) is reported invalid before anything is allocated.</summary>
    public RegionSource(string path, PixelBudget? budget = null)
    {
        _reader = new RegionReader(path, budget);
    }

    public RegionStatus Status => _reader.Status;

    public string? Reason => _reader.Reason;

    public int Width => _reader.FrameWidth;

    public int Height => _reader.FrameHeight;

    public ReadOnlyMemory<byte> Frame => _reader.FrameMemory;

    public int Stride => _reader.FrameStride;

    public IReadOnlyList<PixelRect> Damage => _reader.Damage;

    public void WaitForUpdate(TimeSpan maxWait)
    {
        if (_reader.Status == RegionStatus.Ready && _reader.Header.Requested)
        {
            // Requested mode: ask, then sleep on the completion word.
            if (_reader.RequestUpdate())
            {
                _reader.WaitForCompletion(maxWait);
                return;
            }
        }
        _reader.WaitForChange(maxWait);
    }

    public void Wake() => _reader.Wake();

    public bool AnswersRequests => _reader.Status == RegionStatus.Ready && _reader.Header.Requested;

    public RegionChange Poll() => _reader.Poll();

    public void ReleaseFrame() => _reader.ReleaseFrame();

    public bool TrySendInput(in InputEvent e) => _reader.TrySendInput(e);

    public bool TryGetCursor(out CursorState cursor, out ReadOnlySpan<byte> image)
    {
        cursor = _reader.Cursor;
        image = _reader.CursorImage;
        // Serial 0: the producer never set an image, so it has no cursor plane (any cursor is in the pixels).
        return _reader.Status == RegionStatus.Ready && cursor.Serial != 0;
    }

    public void Dispose() => _reader.Dispose();
}
