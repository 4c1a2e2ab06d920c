namespace WebConsole.Region;

/// <summary>One consistent, validated view of a region's header.</summary>
public readonly record struct RegionHeader
{
    public required uint Seq { get; init; }
    public required uint Flags { get; init; }
    public required ulong Epoch { get; init; }
    public required uint ProducerPid { get; init; }
    public required uint Generation { get; init; }
    public required PixelFormat Format { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    public required int Stride { get; init; }
    public required int BufferCount { get; init; }
    public required int Front { get; init; }
    public required long BufferOffset0 { get; init; }
    public required long BufferOffset1 { get; init; }
    public required long BufferOffset2 { get; init; }
    public required long BufferSize { get; init; }
    public required uint FrameSeq { get; init; }
    public required ulong DamageHead { get; init; }
    public required CursorState Cursor { get; init; }

    /// <summary>True when the producer renders only on request.</summary>
    public bool Requested => (Flags & RegionFormat.FlagRequested) != 0;

    public int BytesPerPixel => PixelFormats.BytesPerPixel(Format);

    public long BufferOffset(int index) => index switch
    {
        0 => BufferOffset0,
        1 => BufferOffset1,
        _ => BufferOffset2,
    };

    /// <summary>Same mode: a consumer's copy of the frame stays meaningful.</summary>
    public bool SameModeAs(in RegionHeader other) =>
        Epoch == other.Epoch && Generation == other.Generation && Format == other.Format &&
        Width == other.Width && Height == other.Height && Stride == other.Stride && BufferCount == other.BufferCount;
}
