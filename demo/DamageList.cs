using WebConsole.Region;

namespace WebConsole.Demo;

/// <summary>
/// The rectangles changed since the last published frame, clipped to the frame. Bounded: the
/// region's damage ring holds 64 records for all frames a consumer has not read yet, so past
/// <see cref="Capacity"/> a new rectangle is merged into the one it grows least.
/// </summary>
internal sealed class DamageList
{
    /// <summary>Most rectangles one frame publishes.</summary>
    public const int Capacity = 16;

    private readonly PixelRect[] _rects = new PixelRect[Capacity];
    private readonly PixelRect _frame;

    /// <summary>An empty list for a <paramref name="width"/> x <paramref name="height"/> frame.</summary>
    public DamageList(int width, int height)
    {
        _frame = new PixelRect(0, 0, width, height);
    }

    /// <summary>How many rectangles are listed.</summary>
    public int Count { get; private set; }

    /// <summary>The listed rectangles.</summary>
    public ReadOnlySpan<PixelRect> Rects => _rects.AsSpan(0, Count);

    /// <summary>Adds <paramref name="area"/> (clipped to the frame; nothing when that leaves it empty).</summary>
    public void Add(PixelRect area)
    {
        PixelRect r = Painter.Intersect(area, _frame);
        if (r.IsEmpty)
        {
            return;
        }
        for (int i = 0; i < Count; i++)
        {
            if (Contains(_rects[i], r))
            {
                return;
            }
        }
        if (Count < Capacity)
        {
            _rects[Count++] = r;
            return;
        }
        int best = 0;
        long bestGrowth = long.MaxValue;
        for (int i = 0; i < Count; i++)
        {
            long growth = _rects[i].Union(r).Area - _rects[i].Area;
            if (growth < bestGrowth)
            {
                best = i;
                bestGrowth = growth;
            }
        }
        _rects[best] = _rects[best].Union(r);
    }

    /// <summary>Replaces everything with the whole frame.</summary>
    public void SetFull()
    {
        _rects[0] = _frame;
        Count = 1;
    }

    /// <summary>Empties the list.</summary>
    public void Clear() => Count = 0;

    private static bool Contains(PixelRect outer, PixelRect inner) =>
        inner.X >= outer.X && inner.Y >= outer.Y && inner.Right <= outer.Right && inner.Bottom <= outer.Bottom;
}
