using SkiaSharp;
using WebConsole.Hubs;
using WebConsole.Region;
using WebConsole.Sources;

namespace WebConsole.Streaming;

/// <summary>
/// Follows a source's cursor plane and says when viewers need a <see cref="CursorMessage"/>: the image
/// is encoded to PNG once per serial, motion and visibility changes travel without it. Cursor
/// changes are rare next to frames, so the small allocations here are not on the per-frame path.
/// </summary>
internal sealed class CursorRelay
{
    private CursorState _state;
    private bool _known;
    private byte[] _png = [];

    /// <summary>The whole cursor (image included) for a viewer that just joined; null before the source reported one.</summary>
    public CursorMessage? Current => _known ? Message(_state, _png) : null;

    /// <summary>What changed since the last call, for every viewer; null when nothing did.</summary>
    public CursorMessage? Update(IFramebufferSource source)
    {
        if (!source.TryGetCursor(out CursorState cursor, out ReadOnlySpan<byte> image))
        {
            if (!_known || !_state.Visible)
            {
                return null;
            }
            // The source lost its cursor plane (producer gone): hide it.
            _state = _state with { Visible = false };
            return Message(_state, []);
        }
        if (_known && cursor == _state)
        {
            return null;
        }
        bool newImage = !_known || cursor.Serial != _state.Serial || cursor.Width != _state.Width || cursor.Height != _state.Height;
        if (newImage)
        {
            _png = Encode(cursor, image);
        }
        _state = cursor;
        _known = true;
        return Message(cursor, newImage ? _png : []);
    }

    private static CursorMessage Message(in CursorState c, byte[] png) =>
        new(c.Serial, c.Visible && c.Width > 0 && c.Height > 0, c.X, c.Y, c.HotX, c.HotY, c.Width, c.Height, png);

    /// <summary>The image as PNG with straight alpha; empty for an empty cursor.</summary>
    internal static byte[] Encode(in CursorState c, ReadOnlySpan<byte> image)
    {
        if (c.Width <= 0 || c.Height <= 0 || c.Width > RegionFormat.CursorMax || c.Height > RegionFormat.CursorMax)
        {
            return [];
        }
        using var bitmap = new SKBitmap(new SKImageInfo(c.Width, c.Height, SKColorType.Bgra8888, SKAlphaType.Unpremul));
        Span<byte> pixels = bitmap.GetPixelSpan();
        int row = c.Width * 4;
        for (int y = 0; y < c.Height; y++)
        {
            image.Slice(y * RegionFormat.CursorMax * 4, row).CopyTo(pixels.Slice(y * bitmap.RowBytes, row));
        }
        using SKData data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
