using System.Runtime.InteropServices;
using WebConsole.Region;

namespace WebConsole.Streaming;

/// <summary>
/// Catch-up groups: viewers whose pending tiles are the same share one encode and one message.
/// The lists are kept from pass to pass, so grouping allocates nothing once warm.
/// </summary>
internal sealed class CatchUpGroups
{
    private readonly List<List<PixelRect>> _groupRects = [];
    private readonly List<List<Viewer>> _groupViewers = [];

    /// <summary>The rectangles of the viewer about to join a group.</summary>
    public List<PixelRect> Pending { get; } = new(256);

    public int Count { get; private set; }

    public List<PixelRect> Rects(int group) => _groupRects[group];

    public List<Viewer> Viewers(int group) => _groupViewers[group];

    /// <summary>
    /// Puts <paramref name="viewer"/>, whose pending rectangles are in <see cref="Pending"/>, into the
    /// group with the same rectangles, or opens a new one: viewers that fell behind together (a burst
    /// all of them missed) get one encode between them, not one each.
    /// </summary>
    public void Join(Viewer viewer)
    {
        for (int g = 0; g < Count; g++)
        {
            if (CollectionsMarshal.AsSpan(_groupRects[g]).SequenceEqual(CollectionsMarshal.AsSpan(Pending)))
            {
                _groupViewers[g].Add(viewer);
                return;
            }
        }
        if (Count == _groupRects.Count)
        {
            _groupRects.Add(new List<PixelRect>(Pending.Count));
            _groupViewers.Add(new List<Viewer>(4));
        }
        _groupRects[Count].Clear();
        _groupRects[Count].AddRange(Pending);
        _groupViewers[Count].Add(viewer);
        Count++;
    }

    /// <summary>Empties the groups once they are sent; their lists stay for the next pass.</summary>
    public void Clear()
    {
        for (int g = 0; g < Count; g++)
        {
            _groupViewers[g].Clear();
        }
        Count = 0;
    }
}
