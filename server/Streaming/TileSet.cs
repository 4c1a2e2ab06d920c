using WebConsole.Region;

namespace WebConsole.Streaming;

/// <summary>
/// The 64x64 tiles a viewer still has to receive. Marking is idempotent, so damage from any
/// number of missed updates merges into a bounded set: latest state wins, never a queue.
/// </summary>
internal sealed class TileSet
{
    public const int TileSize = 64;
    private const int MaxRunTiles = 512 / TileSize;

    private bool[] _tiles = [];
    private int _columns, _rows, _width, _height, _count;

    public bool IsEmpty => _count == 0;

    /// <summary>Every tile is marked: a full repaint.</summary>
    public bool IsFull => _count == _columns * _rows && _count > 0;

    public void Reset(int width, int height)
    {
        _width = width;
        _height = height;
        _columns = (width + TileSize - 1) / TileSize;
        _rows = (height + TileSize - 1) / TileSize;
        if (_tiles.Length < _columns * _rows)
        {
            _tiles = new bool[_columns * _rows];
        }
        Array.Clear(_tiles);
        _count = 0;
    }

    public void MarkAll()
    {
        _tiles.AsSpan(0, _columns * _rows).Fill(true);
        _count = _columns * _rows;
    }

    public void Mark(PixelRect r)
    {
        int x0 = Math.Max(r.X, 0) / TileSize, y0 = Math.Max(r.Y, 0) / TileSize;
        int x1 = Math.Min((Math.Min(r.Right, _width) + TileSize - 1) / TileSize, _columns);
        int y1 = Math.Min((Math.Min(r.Bottom, _height) + TileSize - 1) / TileSize, _rows);
        for (int ty = y0; ty < y1; ty++)
        {
            for (int tx = x0; tx < x1; tx++)
            {
                ref bool tile = ref _tiles[ty * _columns + tx];
                if (!tile)
                {
                    tile = true;
                    _count++;
                }
            }
        }
    }

    /// <summary>Unmarks the tiles that lie wholly inside <paramref name="r"/> (a lossless part covers them).</summary>
    public void Clear(PixelRect r)
    {
        if (_count == 0)
        {
            return;
        }
        int x0 = (Math.Max(r.X, 0) + TileSize - 1) / TileSize, y0 = (Math.Max(r.Y, 0) + TileSize - 1) / TileSize;
        // A tile cut by the frame's right or bottom edge counts as inside when r reaches that edge.
        int x1 = Math.Min(r.Right >= _width ? _columns : r.Right / TileSize, _columns);
        int y1 = Math.Min(r.Bottom >= _height ? _rows : r.Bottom / TileSize, _rows);
        for (int ty = y0; ty < y1; ty++)
        {
            for (int tx = x0; tx < x1; tx++)
            {
                ref bool tile = ref _tiles[ty * _columns + tx];
                if (tile)
                {
                    tile = false;
                    _count--;
                }
            }
        }
    }

    /// <summary>How many tiles are marked.</summary>
    public int Count => _count;

    /// <summary>Share of the frame's tiles that are marked, 0 to 1.</summary>
    public double Share => _columns * _rows == 0 ? 0 : (double)_count / (_columns * _rows);

    /// <summary>
    /// Up to <paramref name="maxTiles"/> marked tiles that <paramref name="heat"/> says have not changed for
    /// <paramref name="still"/>, as rectangles (runs of up to 8 in a row) into <paramref name="rects"/>; the set
    /// is left as it is. Returns how many tiles were taken.
    /// </summary>
    public int CollectStill(ChangeHeat heat, long now, TimeSpan still, int maxTiles, List<PixelRect> rects)
    {
        rects.Clear();
        int taken = 0;
        for (int ty = 0; ty < _rows && _count > 0 && taken < maxTiles; ty++)
        {
            for (int tx = 0; tx < _columns && taken < maxTiles; tx++)
            {
                if (!_tiles[ty * _columns + tx] || !heat.IsStill(tx, ty, now, still))
                {
                    continue;
                }
                int run = 1;
                while (run < MaxRunTiles && taken + run < maxTiles && tx + run < _columns &&
                    _tiles[ty * _columns + tx + run] && heat.IsStill(tx + run, ty, now, still))
                {
                    run++;
                }
                int px = tx * TileSize, py = ty * TileSize;
                rects.Add(new PixelRect(px, py, Math.Min(run * TileSize, _width - px), Math.Min(TileSize, _height - py)));
                taken += run;
                tx += run - 1;
            }
        }
        return taken;
    }

    /// <summary>
    /// Empties the set into rectangles of at most 512x512: runs of up to 8 marked tiles in a
    /// row, extended downwards while the rows below hold the same run.
    /// </summary>
    public void TakeRects(List<PixelRect> rects)
    {
        rects.Clear();
        for (int ty = 0; ty < _rows && _count > 0; ty++)
        {
            for (int tx = 0; tx < _columns; tx++)
            {
                if (!_tiles[ty * _columns + tx])
                {
                    continue;
                }
                int run = 1;
                while (run < MaxRunTiles && tx + run < _columns && _tiles[ty * _columns + tx + run])
                {
                    run++;
                }
                int height = 1;
                while (height < MaxRunTiles && ty + height < _rows && RowHasRun(ty + height, tx, run))
                {
                    height++;
                }
                for (int y = ty; y < ty + height; y++)
                {
                    _tiles.AsSpan(y * _columns + tx, run).Clear();
                }
                _count -= run * height;
                int px = tx * TileSize, py = ty * TileSize;
                rects.Add(new PixelRect(px, py, Math.Min(run * TileSize, _width - px), Math.Min(height * TileSize, _height - py)));
                tx += run - 1;
            }
        }
    }

    private bool RowHasRun(int ty, int tx, int run) => _tiles.AsSpan(ty * _columns + tx, run).IndexOf(false) < 0;
}
