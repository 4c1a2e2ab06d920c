using WebConsole.Region;

namespace WebConsole.Streaming;

/// <summary>
/// How often each 64x64 tile of a console changed lately, and when it last changed: a heat that
/// gains 1 per change and halves every <see cref="HalfLife"/>, so an area that keeps moving is hot
/// and one that stopped cools back. Tiles as in <see cref="TileSet"/>. Written by the capture loop;
/// read by encoder threads during an encode the loop waits for.
/// </summary>
internal sealed class ChangeHeat(TimeProvider time)
{
    /// <summary>Heat halves in this time: a tile changing 60 times a second settles near 44, twice a second near 1.8.</summary>
    public static readonly TimeSpan HalfLife = TimeSpan.FromMilliseconds(500);

    private float[] _heat = [];
    private long[] _changed = [];
    private int _columns, _rows;

    public void Reset(int width, int height)
    {
        _columns = (width + TileSet.TileSize - 1) / TileSet.TileSize;
        _rows = (height + TileSet.TileSize - 1) / TileSet.TileSize;
        int tiles = _columns * _rows;
        if (_heat.Length < tiles)
        {
            _heat = new float[tiles];
            _changed = new long[tiles];
        }
        Array.Clear(_heat);
        _changed.AsSpan().Fill(long.MinValue);
    }

    /// <summary>The rectangles that changed now.</summary>
    public void Record(List<PixelRect> changed)
    {
        long now = time.GetTimestamp();
        foreach (PixelRect r in changed)
        {
            Tiles(r, out int x0, out int y0, out int x1, out int y1);
            for (int ty = y0; ty < y1; ty++)
            {
                for (int tx = x0; tx < x1; tx++)
                {
                    int i = ty * _columns + tx;
                    if (_changed[i] == now)
                    {
                        continue; // two rectangles of one capture over one tile: one change
                    }
                    _heat[i] = Decayed(i, now) + 1;
                    _changed[i] = now;
                }
            }
        }
    }

    /// <summary>The hottest tile under <paramref name="r"/> now.</summary>
    public float Hottest(PixelRect r)
    {
        long now = time.GetTimestamp();
        Tiles(r, out int x0, out int y0, out int x1, out int y1);
        float hottest = 0;
        for (int ty = y0; ty < y1; ty++)
        {
            for (int tx = x0; tx < x1; tx++)
            {
                hottest = Math.Max(hottest, Decayed(ty * _columns + tx, now));
            }
        }
        return hottest;
    }

    /// <summary>Whether tile (<paramref name="tx"/>, <paramref name="ty"/>) has not changed for <paramref name="still"/> (as of <paramref name="now"/>).</summary>
    public bool IsStill(int tx, int ty, long now, TimeSpan still)
    {
        long changed = _changed[ty * _columns + tx];
        return changed == long.MinValue || time.GetElapsedTime(changed, now) >= still;
    }

    private float Decayed(int i, long now)
    {
        long changed = _changed[i];
        if (changed == long.MinValue)
        {
            return 0;
        }
        double halves = time.GetElapsedTime(changed, now).TotalMilliseconds / HalfLife.TotalMilliseconds;
        return halves > 30 ? 0 : (float)(_heat[i] * Math.Pow(0.5, halves));
    }

    private void Tiles(PixelRect r, out int x0, out int y0, out int x1, out int y1)
    {
        x0 = Math.Clamp(r.X / TileSet.TileSize, 0, _columns);
        y0 = Math.Clamp(r.Y / TileSet.TileSize, 0, _rows);
        x1 = Math.Clamp((r.Right + TileSet.TileSize - 1) / TileSet.TileSize, 0, _columns);
        y1 = Math.Clamp((r.Bottom + TileSet.TileSize - 1) / TileSet.TileSize, 0, _rows);
    }
}
