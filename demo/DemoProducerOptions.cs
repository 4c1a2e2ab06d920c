namespace WebConsole.Demo;

/// <summary>Where and how the demo producer writes its region.</summary>
public sealed record DemoProducerOptions
{
    /// <summary>The region file; /dev/shm keeps it in memory.</summary>
    public string Path { get; init; } = "/dev/shm/webconsole-demo.fb";

    /// <summary>Frame width in pixels; the scene is laid out for 1280 and clipped when narrower.</summary>
    public int Width { get; init; } = 1280;

    /// <summary>Frame height in pixels; the scene is laid out for 720 and clipped when lower.</summary>
    public int Height { get; init; } = 720;

    /// <summary>Pixel buffers in the region, 1 to 3.</summary>
    public int BufferCount { get; init; } = 2;

    /// <summary>Render only when the consumer asks (costs nothing while nobody watches) instead of at <see cref="FramesPerSecond"/>.</summary>
    public bool Requested { get; init; }

    /// <summary>Most frames per second when free-running; a frame is published only when something changed.</summary>
    public int FramesPerSecond { get; init; } = 30;

    /// <summary>Seeds the photo-like noise, so runs with the same seed and clock draw the same pictures.</summary>
    public uint Seed { get; init; } = 1;

    /// <summary>Delete the region file when the producer stops, so consumers see it gone rather than frozen.</summary>
    public bool DeleteOnStop { get; init; } = true;
}
