using System.Buffers;

namespace WebConsole.Encoding;

/// <summary>
/// The encoded rectangles of one update, in the order they were asked for. Owns their pooled
/// buffers: <see cref="Clear"/> or <see cref="Dispose"/> returns them, after which the update can
/// be filled again without allocating.
/// </summary>
/// <remarks>Not thread-safe; <see cref="FrameEncoder"/> fills distinct slots from its workers.</remarks>
public sealed class EncodedUpdate : IDisposable
{
    private EncodedRect[] _rects = [];
    private int _count;

    public int Count => _count;

    public EncodedRect this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
            return _rects[index];
        }
    }

    /// <summary>The rectangles, valid until the next <see cref="Clear"/>.</summary>
    public ReadOnlySpan<EncodedRect> Rects => _rects.AsSpan(0, _count);

    /// <summary>Payload bytes of all rectangles.</summary>
    public long TotalBytes
    {
        get
        {
            long total = 0;
            foreach (ref readonly EncodedRect rect in Rects)
            {
                total += rect.Length;
            }
            return total;
        }
    }

    /// <summary>How many of the rectangles are solid fills, PNG and JPEG.</summary>
    public (int Solid, int Png, int Jpeg) CountKinds()
    {
        int solid = 0, png = 0, jpeg = 0;
        foreach (ref readonly EncodedRect rect in Rects)
        {
            switch (rect.Kind)
            {
                case RectKind.Solid:
                    solid++;
                    break;
                case RectKind.Png:
                    png++;
                    break;
                default:
                    jpeg++;
                    break;
            }
        }
        return (solid, png, jpeg);
    }

    /// <summary>Returns every buffer to the pool and empties the update.</summary>
    public void Clear()
    {
        for (int i = 0; i < _count; i++)
        {
            // Null when an encode failed before reaching this slot.
            byte[]? buffer = _rects[i].Buffer;
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        Array.Clear(_rects, 0, _count);
        _count = 0;
    }

    public void Dispose() => Clear();

    /// <summary>Empties the update and makes <paramref name="count"/> blank slots for <see cref="Set"/>.</summary>
    internal void Prepare(int count)
    {
        Clear();
        if (_rects.Length < count)
        {
            _rects = new EncodedRect[Math.Max(count, 2 * _rects.Length)];
        }
        _count = count;
    }

    /// <summary>Fills one slot; the update takes ownership of its buffer.</summary>
    internal void Set(int index, in EncodedRect rect) => _rects[index] = rect;
}
