using WebConsole.Region;

namespace WebConsole.Sources;

/// <summary>
/// The buffers of a polled source: the XRGB8888 frame it shows and two copies of the raw pixels
/// (the last read and the one being read), so a poll finds the rows that changed by comparing raw
/// bytes and converts only those. Kept across polls of one mode, in memory of their own
/// (<see cref="PixelBuffer"/>) that <see cref="Release"/> gives back to the system.
/// </summary>
internal sealed class FrameBuffers : IDisposable
{
    private PixelBuffer? _frame, _raw, _next;
    private PixelLayoutConverter? _converter;
    private int _rawBytesPerPixel;

    public int Width { get; private set; }

    public int Height { get; private set; }

    public int RawStride { get; private set; }

    /// <summary>False until the first full read after <see cref="Reset"/>.</summary>
    public bool HasFrame { get; set; }

    public Memory<byte> Frame => _frame is null ? Memory<byte>.Empty : _frame.Memory[..(Width * 4 * Height)];

    /// <summary>The raw pixels of the last poll.</summary>
    public Span<byte> Raw => _raw is null ? default : _raw.GetSpan()[..(RawStride * Height)];

    /// <summary>Where the next poll reads the raw pixels.</summary>
    public Span<byte> Next => _next is null ? default : _next.GetSpan()[..(RawStride * Height)];

    /// <summary>New geometry: buffers of the right size, cleared, and no frame yet; raw rows in <paramref name="layout"/>.</summary>
    public void Reset(int width, int height, int rawStride, PixelLayout layout)
    {
        _converter = new PixelLayoutConverter(layout);
        _rawBytesPerPixel = layout.BytesPerPixel;
        Release();
        // Fresh mappings are zero-filled, and their pages cost nothing until a read writes them.
        _frame = PixelBuffer.Ensure(ref _frame, (long)width * 4 * height);
        _raw = PixelBuffer.Ensure(ref _raw, (long)rawStride * height);
        _next = PixelBuffer.Ensure(ref _next, (long)rawStride * height);
        Width = width;
        Height = height;
        RawStride = rawStride;
        HasFrame = false;
    }

    /// <summary>
    /// Takes the read in <see cref="Next"/>: false when it equals the last read, else converts the
    /// band of rows that differ (every row when there is no frame yet) into <see cref="Frame"/>,
    /// keeps the read as the last one and returns the band.
    /// </summary>
    public bool TakeNext(out PixelRect band)
    {
        if (!FindChangedRows(out int first, out int last))
        {
            band = default;
            return false;
        }
        Span<byte> next = Next, frame = Frame.Span;
        int rawStride = RawStride, frameStride = Width * 4;
        for (int y = first; y <= last; y++)
        {
            _converter!.ConvertRow(next.Slice(y * rawStride, rawStride), frame.Slice(y * frameStride, frameStride), Width);
        }
        (_raw, _next) = (_next, _raw);
        HasFrame = true;
        band = new PixelRect(0, first, Width, last - first + 1);
        return true;
    }

    /// <summary>Rows <paramref name="first"/>.. of <see cref="Raw"/>, for a source that reads only what damage names.</summary>
    public Span<byte> RawRows(int first, int count) => Raw.Slice(first * RawStride, count * RawStride);

    /// <summary>Converts the rectangle <paramref name="r"/> of <see cref="Raw"/> (read there by the caller) into <see cref="Frame"/>.</summary>
    public void ConvertRect(PixelRect r)
    {
        Span<byte> raw = Raw, frame = Frame.Span;
        int rawStride = RawStride, frameStride = Width * 4;
        for (int y = r.Y; y < r.Y + r.Height; y++)
        {
            _converter!.ConvertRow(raw.Slice(y * rawStride + r.X * _rawBytesPerPixel, r.Width * _rawBytesPerPixel),
                frame.Slice(y * frameStride + r.X * 4, r.Width * 4), r.Width);
        }
    }

    /// <summary>
    /// Compares <see cref="Next"/> with <see cref="Raw"/> row by row; false when equal, else the
    /// first and last rows that differ (every row when there is no frame yet).
    /// </summary>
    private bool FindChangedRows(out int first, out int last)
    {
        first = 0;
        last = Height - 1;
        if (!HasFrame)
        {
            return true;
        }
        ReadOnlySpan<byte> raw = Raw, next = Next;
        int stride = RawStride;
        while (first < Height && raw.Slice(first * stride, stride).SequenceEqual(next.Slice(first * stride, stride)))
        {
            first++;
        }
        if (first == Height)
        {
            return false;
        }
        while (last > first && raw.Slice(last * stride, stride).SequenceEqual(next.Slice(last * stride, stride)))
        {
            last--;
        }
        return true;
    }

    /// <summary>Gives the buffers back to the system; no frame until the next <see cref="Reset"/>.</summary>
    public void Release()
    {
        PixelBuffer.Release(ref _frame);
        PixelBuffer.Release(ref _raw);
        PixelBuffer.Release(ref _next);
        Width = Height = RawStride = 0;
        HasFrame = false;
    }

    public void Dispose() => Release();
}
