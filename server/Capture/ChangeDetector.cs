using System.Diagnostics.CodeAnalysis;
using WebConsole.Region;

namespace WebConsole.Capture;

/// <summary>
/// Turns the damage a producer reports into the rectangles whose pixels really changed, by
/// comparing each damaged 64x64 tile with a shadow copy of what was last reported.
/// </summary>
/// <remarks>
/// <para>
/// Damage is trusted: only tiles touched by a damage rectangle are compared, so a change the
/// producer did not report is not seen (and the shadow keeps the old pixels until it is).
/// Producers tend to over-report (whole windows, whole frames), which is what the compare drops.
/// All four bytes of a pixel are compared, X included; a producer that scribbles on X only costs
/// a redundant tile.
/// </para>
/// <para>
/// Merge rule. Changed tiles become rectangles that cover exactly the changed tiles (never an
/// unchanged one, never one twice) and are at most <see cref="MaxRectSize"/> on a side:
/// </para>
/// <list type="number">
/// <item>The frame is cut into vertical bands <see cref="MaxRectSize"/> pixels wide (8 tiles),
/// aligned at x = 0, 512, 1024, ...</item>
/// <item>Within each tile row, each band's changed tiles form horizontal runs of adjacent tiles;
/// a run never crosses a band edge, so it is at most 512 wide, and band-aligned cuts line up
/// from row to row.</item>
/// <item>Tile rows are visited top to bottom. A run whose left and right edges equal those of a
/// rectangle ending just above it extends that rectangle downwards, unless it is already 512
/// tall; otherwise the run starts a new rectangle.</item>
/// </list>
/// <para>
/// So a solid changed area costs one rectangle per 512x512 cell it touches (a full 1080p frame is
/// 4 bands x 3 = 12), and a ragged one costs at most one per run. Rectangles come out ordered
/// by top edge, then left edge.
/// </para>
/// <para>
/// Not thread-safe: one detector belongs to one capture loop. <see cref="FindChanges"/> does not
/// allocate once the caller's output list has grown to its working size.
/// </para>
/// </remarks>
public sealed class ChangeDetector
{
    /// <summary>Side of the square tiles that are compared and reported (edge tiles are smaller).</summary>
    public const int TileSize = 64;

    /// <summary>Largest width and height of a reported rectangle.</summary>
    public const int MaxRectSize = 512;

    private const int BytesPerPixel = 4;
    private const int TilesPerBand = MaxRectSize / TileSize;
    private const int TileBytes = TileSize * BytesPerPixel;

    private int _width;
    private int _height;
    private int _tilesX;
    private int _tilesY;

    // XRGB8888 copy of the last reported pixels, _width * 4 bytes per row, no padding; in memory of
    // its own, given back by Release when nobody watches.
    private PixelBuffer? _shadow;

    // Per tile: the shadow holds the tile's pixels. False after Reset, so a tile's first
    // damage always reports it: there is nothing to compare against yet.
    private bool[] _known = [];

    // Per tile, per call: first "touched by damage", then, after the diff, "changed".
    private bool[] _dirty = [];

    // Per tile column, during the diff of one band of tile rows: still equal so far, and the
    // first pixel row (0..63) that differs.
    private bool[] _pending = [];
    private int[] _firstDiff = [];

    // Per tile column, during the merge: index in the output of the rectangle whose left edge
    // is that column; extendable only while its bottom is the current tile row's top.
    private int[] _openRect = [];

    /// <summary>Frame width in pixels set by the last <see cref="Reset"/>; 0 before the first.</summary>
    public int Width => _width;

    /// <summary>Frame height in pixels set by the last <see cref="Reset"/>; 0 before the first.</summary>
    public int Height => _height;

    /// <summary>
    /// Starts a new mode: forgets every tile, so the next call reports each damaged tile as changed.
    /// Buffers are allocated here, once per mode, and kept when the size does not change.
    /// </summary>
    public void Reset(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if ((long)width * BytesPerPixel * height > Array.MaxLength)
        {
            ThrowModeTooLarge(width, height);
        }

        if (width != _width || height != _height || _shadow is null)
        {
            int tilesX = (width + TileSize - 1) / TileSize;
            int tilesY = (height + TileSize - 1) / TileSize;
            // Allocate before touching any field, so an out-of-memory leaves the old mode intact.
            PixelBuffer shadow = PixelBuffer.TryAllocate((long)width * BytesPerPixel * height)
                ?? throw new OutOfMemoryException($"cannot map the shadow copy of a {width}x{height} frame");
            bool[] known = new bool[tilesX * tilesY];
            bool[] dirty = new bool[tilesX * tilesY];
            bool[] pending = new bool[tilesX];
            int[] firstDiff = new int[tilesX];
            int[] openRect = new int[tilesX];
            (_width, _height, _tilesX, _tilesY) = (width, height, tilesX, tilesY);
            PixelBuffer.Release(ref _shadow);
            (_shadow, _known, _dirty) = (shadow, known, dirty);
            (_pending, _firstDiff, _openRect) = (pending, firstDiff, openRect);
        }
        else
        {
            Array.Clear(_known);
        }
    }

    /// <summary>Gives the shadow copy back to the system (nobody watches); the next call needs a <see cref="Reset"/>.</summary>
    public void Release()
    {
        PixelBuffer.Release(ref _shadow);
        (_width, _height, _tilesX, _tilesY) = (0, 0, 0, 0);
        (_known, _dirty, _pending, _firstDiff, _openRect) = ([], [], [], [], []);
    }

    /// <summary>
    /// Compares the tiles touched by <paramref name="damage"/> with the shadow copy, copies the
    /// changed ones into it, and writes rectangles covering exactly the changed tiles to
    /// <paramref name="changed"/> (cleared first). See the class remarks for the merge rule.
    /// </summary>
    /// <param name="frame">XRGB8888 pixels of the mode set by <see cref="Reset"/>.</param>
    /// <param name="stride">Bytes from one row of <paramref name="frame"/> to the next.</param>
    /// <param name="damage">Rectangles that may have changed; clipped to the frame, may overlap.</param>
    /// <param name="changed">Receives the changed rectangles; reuse it across calls to avoid allocations.</param>
    public void FindChanges(ReadOnlySpan<byte> frame, int stride, IReadOnlyList<PixelRect> damage, List<PixelRect> changed)
    {
        ArgumentNullException.ThrowIfNull(damage);
        ArgumentNullException.ThrowIfNull(changed);
        if (_tilesX == 0)
        {
            ThrowNotReset();
        }
        int rowBytes = _width * BytesPerPixel;
        if (stride < rowBytes)
        {
            ThrowStrideTooSmall(stride, rowBytes);
        }
        if (frame.Length < (long)(_height - 1) * stride + rowBytes)
        {
            ThrowFrameTooSmall(nameof(frame), frame.Length, _width, _height, stride);
        }

        changed.Clear();
        if (!MarkDamagedTiles(damage))
        {
            return;
        }
        DiffMarkedTiles(frame, stride);
        MergeChangedTiles(changed);
    }

    /// <returns>False when no damage rectangle touches the frame.</returns>
    private bool MarkDamagedTiles(IReadOnlyList<PixelRect> damage)
    {
        Array.Clear(_dirty);
        bool any = false;
        // Indexed loop: a foreach over the interface would box an enumerator per call.
        for (int i = 0; i < damage.Count; i++)
        {
            PixelRect r = damage[i];
            // Wide arithmetic: a producer's X + Width may overflow int.
            long x0 = Math.Max(r.X, 0L), y0 = Math.Max(r.Y, 0L);
            long x1 = Math.Min((long)r.X + r.Width, _width), y1 = Math.Min((long)r.Y + r.Height, _height);
            if (x1 <= x0 || y1 <= y0)
            {
                continue;
            }
            any = true;
            int tx0 = (int)(x0 / TileSize), tx1 = (int)((x1 - 1) / TileSize);
            int ty0 = (int)(y0 / TileSize), ty1 = (int)((y1 - 1) / TileSize);
            for (int ty = ty0; ty <= ty1; ty++)
            {
                _dirty.AsSpan(ty * _tilesX + tx0, tx1 - tx0 + 1).Fill(true);
            }
        }
        return any;
    }

    /// <summary>
    /// Compares the marked tiles with the shadow and copies the changed ones in; afterwards
    /// <see cref="_dirty"/> holds "changed" instead of "touched by damage".
    /// </summary>
    /// <remarks>
    /// Walks each band of tile rows one pixel row at a time rather than tile by tile: both buffers
    /// are then read front to back, where a tile-by-tile walk would jump a stride every 256 bytes
    /// and defeat the prefetcher. Adjacent tiles that are still equal are compared as one span;
    /// only a span that differs is compared again tile by tile, to learn which tiles changed.
    /// </remarks>
    private void DiffMarkedTiles(ReadOnlySpan<byte> frame, int stride)
    {
        int rowBytes = _width * BytesPerPixel;
        Span<byte> shadow = _shadow!.GetSpan();
        for (int ty = 0; ty < _tilesY; ty++)
        {
            int tileRow = ty * _tilesX;
            int y = ty * TileSize;
            int rows = Math.Min(TileSize, _height - y);
            int pending = 0;
            bool anyMarked = false;
            for (int tx = 0; tx < _tilesX; tx++)
            {
                bool marked = _dirty[tileRow + tx];
                bool compare = marked && _known[tileRow + tx];
                _pending[tx] = compare;
                // A tile never seen since Reset differs from its first row; a known one is equal
                // until a row says otherwise ("rows" stands for "no row differs").
                _firstDiff[tx] = compare ? rows : 0;
                pending += compare ? 1 : 0;
                anyMarked |= marked;
            }
            if (!anyMarked)
            {
                continue;
            }

            for (int row = 0; row < rows && pending > 0; row++)
            {
                ReadOnlySpan<byte> frameRow = frame.Slice((y + row) * stride, rowBytes);
                ReadOnlySpan<byte> shadowRow = shadow.Slice((y + row) * rowBytes, rowBytes);
                int tx = 0;
                while (tx < _tilesX)
                {
                    if (!_pending[tx])
                    {
                        tx++;
                        continue;
                    }
                    int start = tx;
                    while (tx < _tilesX && _pending[tx])
                    {
                        tx++;
                    }
                    int from = start * TileBytes;
                    int length = Math.Min(tx * TileBytes, rowBytes) - from;
                    if (PixelCompare.RowsEqual(frameRow.Slice(from, length), shadowRow.Slice(from, length)))
                    {
                        continue;
                    }
                    for (int t = start; t < tx; t++)
                    {
                        int tileFrom = t * TileBytes;
                        int tileLength = Math.Min(TileBytes, rowBytes - tileFrom);
                        if (!PixelCompare.RowsEqual(frameRow.Slice(tileFrom, tileLength), shadowRow.Slice(tileFrom, tileLength)))
                        {
                            _pending[t] = false;
                            _firstDiff[t] = row;
                            pending--;
                        }
                    }
                }
            }

            for (int tx = 0; tx < _tilesX; tx++)
            {
                int tile = tileRow + tx;
                if (_dirty[tile] && _firstDiff[tx] == rows)
                {
                    _dirty[tile] = false;
                }
                else if (_dirty[tile])
                {
                    _known[tile] = true;
                }
            }
            CopyChangedRows(frame, stride, tileRow, y, rows);
        }
    }

    /// <summary>
    /// Copies one band's changed tiles into the shadow, row by row for the same prefetch reason,
    /// each adjacent run in one copy, starting at each tile's first differing row (the rows
    /// above it are already equal).
    /// </summary>
    private void CopyChangedRows(ReadOnlySpan<byte> frame, int stride, int tileRow, int y, int rows)
    {
        int rowBytes = _width * BytesPerPixel;
        Span<byte> shadow = _shadow!.GetSpan();
        for (int row = 0; row < rows; row++)
        {
            ReadOnlySpan<byte> frameRow = frame.Slice((y + row) * stride, rowBytes);
            Span<byte> shadowRow = shadow.Slice((y + row) * rowBytes, rowBytes);
            int tx = 0;
            while (tx < _tilesX)
            {
                if (!_dirty[tileRow + tx] || _firstDiff[tx] > row)
                {
                    tx++;
                    continue;
                }
                int start = tx;
                while (tx < _tilesX && _dirty[tileRow + tx] && _firstDiff[tx] <= row)
                {
                    tx++;
                }
                int from = start * TileBytes;
                int length = Math.Min(tx * TileBytes, rowBytes) - from;
                frameRow.Slice(from, length).CopyTo(shadowRow.Slice(from, length));
            }
        }
    }

    private void MergeChangedTiles(List<PixelRect> changed)
    {
        Array.Fill(_openRect, -1);
        for (int ty = 0; ty < _tilesY; ty++)
        {
            int rowStart = ty * _tilesX;
            int y = ty * TileSize;
            int height = Math.Min(TileSize, _height - y);
            int tx = 0;
            while (tx < _tilesX)
            {
                if (!_dirty[rowStart + tx])
                {
                    tx++;
                    continue;
                }
                int start = tx;
                int bandEnd = Math.Min(start - start % TilesPerBand + TilesPerBand, _tilesX);
                while (tx < bandEnd && _dirty[rowStart + tx])
                {
                    tx++;
                }
                int left = start * TileSize;
                int right = Math.Min(tx * TileSize, _width);

                // _openRect is keyed by left edge, so only the bottom, right edge and height
                // need checking; a stale entry from an earlier row fails the bottom test.
                int open = _openRect[start];
                if (open >= 0)
                {
                    PixelRect above = changed[open];
                    if (above.Bottom == y && above.Right == right && above.Height < MaxRectSize)
                    {
                        changed[open] = above with { Height = above.Height + height };
                        continue;
                    }
                }
                _openRect[start] = changed.Count;
                changed.Add(new PixelRect(left, y, right - left, height));
            }
        }
    }

    [DoesNotReturn]
    private static void ThrowNotReset() =>
        throw new InvalidOperationException("ChangeDetector.Reset must set the frame size before FindChanges.");

    [DoesNotReturn]
    private static void ThrowModeTooLarge(int width, int height) =>
        throw new ArgumentOutOfRangeException(nameof(width), $"A {width}x{height} frame does not fit one shadow buffer.");

    [DoesNotReturn]
    private static void ThrowStrideTooSmall(int stride, int rowBytes) =>
        throw new ArgumentOutOfRangeException(nameof(stride), stride, $"Stride must hold a row of {rowBytes} bytes.");

    [DoesNotReturn]
    private static void ThrowFrameTooSmall(string paramName, int length, int width, int height, int stride) =>
        throw new ArgumentException($"A {width}x{height} frame with stride {stride} needs more than {length} bytes.", paramName);
}
