namespace WebConsole.Region;

/// <summary>How a producer lays out a new region.</summary>
public sealed record RegionWriterOptions
{
    public required int Width { get; init; }

    public required int Height { get; init; }

    public PixelFormat Format { get; init; } = PixelFormat.Xrgb8888;

    /// <summary>1 to 3 pixel buffers (see "Buffer ownership" in the spec).</summary>
    public int BufferCount { get; init; } = 2;

    /// <summary>Render only when the consumer requests an update (zero cost when nobody watches).</summary>
    public bool Requested { get; init; }

    /// <summary>Largest width later mode changes may use without replacing the file (default: Width).</summary>
    public int? MaxWidth { get; init; }

    /// <summary>Largest height later mode changes may use without replacing the file (default: Height).</summary>
    public int? MaxHeight { get; init; }
}
