using WebConsole.Region;

namespace WebConsole.Encoding;

/// <summary>
/// Cuts each rectangle of an update into parts of one kind, so that text beside a photo stays
/// lossless: the photo's tiles go out as JPEG, the text's as PNG, the flat areas as solids.
/// </summary>
/// <remarks>
/// <para>
/// Each rectangle is cut into <see cref="TileSize"/> tiles aligned to its own top-left corner
/// (the ones on its right and bottom edges may be smaller), and each tile is classified by
/// content with <see cref="RectClassifier.ClassifyContent"/>. A tile's kind is its
/// <see cref="RectKind"/> plus, for a solid tile, its colour: two solid tiles of different colours
/// are different kinds.
/// </para>
/// <para>Merge rule, as in <see cref="Capture.ChangeDetector"/>, but over kinds instead of "changed":</para>
/// <list type="number">
/// <item>Within each tile row of a rectangle, adjacent tiles of the same kind form runs.</item>
/// <item>Tile rows are visited top to bottom. A run whose left and right edges and kind equal
/// those of a part ending just above it extends that part downwards; otherwise it starts a new
/// part.</item>
/// <item>A merged part is sent as its tiles' kind, with one exception: a JPEG part smaller than
/// <see cref="RectClassifier.MinJpegPixels"/> goes out as PNG (<see cref="RectClassifier.ForArea"/>).
/// A PNG part is never checked again: it may hold more than
/// <see cref="RectClassifier.MaxPngColours"/> colours across its tiles, but the PNG is truecolour
/// (no palette), so that only costs bytes, while JPEG would blur the text each tile was kept
/// lossless for.</item>
/// </list>
/// <para>
/// So parts cover each rectangle exactly once and come out in the rectangles' order, then by top
/// edge, then by left edge within a rectangle; a uniform rectangle stays one part.
/// </para>
/// <para>
/// Use: <see cref="Plan"/> on one thread, then <see cref="ClassifyRow"/> for every row index from
/// any threads (each writes only its own tiles), then <see cref="Merge"/> on one thread. Buffers
/// grow to the largest update seen and are kept, so steady state allocates nothing.
/// </para>
/// </remarks>
internal sealed class TileSplitter
{
    /// <summary>Side of the square tiles that are classified (edge tiles are smaller).</summary>
    public const int TileSize = 64;

    // Per rectangle: index of its first tile in _tiles (row-major within the rectangle).
    private int[] _firstTile = [];

    // Per tile row of every rectangle, in order: the rectangle's index and the row within it.
    private int[] _rowRect = [];
    private int[] _rowIndex = [];

    // Per tile: its kind as Key(kind, rgb).
    private uint[] _tiles = [];

    // Per tile column of the rectangle being merged: index in _parts of the part whose left
    // edge is that column; extendable only while its bottom is the current tile row's top.
    private int[] _openPart = [];

    private ClassifiedRect[] _parts = [];
    private int _partCount;

    /// <summary>Pixels in the rectangles of the last <see cref="Plan"/>.</summary>
    public long Pixels { get; private set; }

    /// <summary>The parts found by the last <see cref="Merge"/>.</summary>
    public ReadOnlySpan<ClassifiedRect> Parts => _parts.AsSpan(0, _partCount);

    public ClassifiedRect this[int index] => _parts[index];

    /// <summary>
    /// Checks that every rectangle lies in the frame and lays out the tiles; returns the number of
    /// tile rows, the units of work for <see cref="ClassifyRow"/>.
    /// </summary>
    public int Plan(int frameLength, int stride, IReadOnlyList<PixelRect> rects)
    {
        int count = rects.Count;
        _partCount = 0;
        Pixels = 0;
        Grow(ref _firstTile, count);
        int tiles = 0, rows = 0;
        long pixels = 0;
        // Indexed loops: a foreach over the interface would box an enumerator per call.
        for (int i = 0; i < count; i++)
        {
            PixelRect rect = rects[i];
            FrameBounds.Check(frameLength, stride, rect);
            _firstTile[i] = tiles;
            tiles += Tiles(rect.Width) * Tiles(rect.Height);
            rows += Tiles(rect.Height);
            pixels += rect.Area;
        }
        Grow(ref _tiles, tiles);
        Grow(ref _rowRect, rows);
        Grow(ref _rowIndex, rows);
        int row = 0;
        for (int i = 0; i < count; i++)
        {
            int tileRows = Tiles(rects[i].Height);
            for (int ty = 0; ty < tileRows; ty++, row++)
            {
                _rowRect[row] = i;
                _rowIndex[row] = ty;
            }
        }
        Pixels = pixels;
        return rows;
    }

    /// <summary>Classifies the tiles of tile row <paramref name="row"/> (numbered across all rectangles).</summary>
    public void ClassifyRow(ReadOnlySpan<byte> frame, int stride, IReadOnlyList<PixelRect> rects, int row)
    {
        PixelRect rect = rects[_rowRect[row]];
        int ty = _rowIndex[row];
        int across = Tiles(rect.Width);
        int first = _firstTile[_rowRect[row]] + ty * across;
        int y = rect.Y + ty * TileSize;
        int height = Math.Min(TileSize, rect.Bottom - y);
        for (int tx = 0; tx < across; tx++)
        {
            int x = rect.X + tx * TileSize;
            var tile = new PixelRect(x, y, Math.Min(TileSize, rect.Right - x), height);
            RectKind kind = RectClassifier.ClassifyContent(frame, stride, tile, out uint rgb);
            _tiles[first + tx] = Key(kind, rgb);
        }
    }

    /// <summary>Merges the classified tiles into <see cref="Parts"/>; returns how many there are.</summary>
    public int Merge(IReadOnlyList<PixelRect> rects)
    {
        _partCount = 0;
        for (int i = 0; i < rects.Count; i++)
        {
            MergeRect(rects[i], _firstTile[i]);
        }
        return _partCount;
    }

    private void MergeRect(PixelRect rect, int firstTile)
    {
        int across = Tiles(rect.Width), down = Tiles(rect.Height);
        Grow(ref _openPart, across);
        _openPart.AsSpan(0, across).Fill(-1);
        int firstPart = _partCount;
        for (int ty = 0; ty < down; ty++)
        {
            ReadOnlySpan<uint> tiles = _tiles.AsSpan(firstTile + ty * across, across);
            int y = rect.Y + ty * TileSize;
            int height = Math.Min(TileSize, rect.Bottom - y);
            int tx = 0;
            while (tx < across)
            {
                int start = tx;
                uint key = tiles[tx];
                while (tx < across && tiles[tx] == key)
                {
                    tx++;
                }
                int left = rect.X + start * TileSize;
                int right = Math.Min(rect.X + tx * TileSize, rect.Right);
                var kind = (RectKind)(key >> 24);
                uint rgb = key & 0x00FF_FFFF;

                // _openPart is keyed by left edge, so only the bottom, right edge and kind need
                // checking; a stale entry from an earlier row fails the bottom test.
                int open = _openPart[start];
                if (open >= 0)
                {
                    ref ClassifiedRect above = ref _parts[open];
                    if (above.Rect.Bottom == y && above.Rect.Right == right && above.Kind == kind && above.Rgb == rgb)
                    {
                        above = above with { Rect = above.Rect with { Height = above.Rect.Height + height } };
                        continue;
                    }
                }
                _openPart[start] = _partCount;
                Add(new ClassifiedRect(new PixelRect(left, y, right - left, height), kind, rgb));
            }
        }
        for (int p = firstPart; p < _partCount; p++)
        {
            ref ClassifiedRect part = ref _parts[p];
            part = part with { Kind = RectClassifier.ForArea(part.Kind, part.Rect.Area) };
        }
    }

    private void Add(in ClassifiedRect part)
    {
        if (_partCount == _parts.Length)
        {
            Array.Resize(ref _parts, Math.Max(64, 2 * _parts.Length));
        }
        _parts[_partCount++] = part;
    }

    // The colour is 24 bits, so the kind fits in the top byte; solid tiles of different colours differ.
    private static uint Key(RectKind kind, uint rgb) => (uint)kind << 24 | rgb;

    private static int Tiles(int pixels) => (pixels + TileSize - 1) / TileSize;

    private static void Grow<T>(ref T[] array, int size)
    {
        if (array.Length < size)
        {
            array = new T[Math.Max(size, 2 * array.Length)];
        }
    }
}
