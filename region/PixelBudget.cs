namespace WebConsole.Region;

/// <summary>
/// How many frame pixels a source may hold buffers for: at most <see cref="PerConsole"/> for one
/// console (<c>Streaming:MaxPixels</c>) and <see cref="Total"/> for all consoles of the server
/// together (<c>Streaming:MaxTotalPixels</c>). A source reserves a mode's pixels before it allocates
/// anything for it and releases them when it frees its buffers, so what a producer claims can never
/// make the server allocate more than the configuration allows. Thread-safe.
/// </summary>
public sealed class PixelBudget
{
    private long _inUse;

    public PixelBudget(long perConsole, long total)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perConsole);
        ArgumentOutOfRangeException.ThrowIfLessThan(total, perConsole);
        PerConsole = perConsole;
        Total = total;
    }

    /// <summary>No limit beyond what a frame can address (tests and tools that read one region).</summary>
    public static PixelBudget Unlimited { get; } = new(long.MaxValue / 2, long.MaxValue / 2);

    public long PerConsole { get; }

    public long Total { get; }

    /// <summary>Pixels reserved by every console now.</summary>
    public long InUse => Interlocked.Read(ref _inUse);

    /// <summary>
    /// Reserves a <paramref name="width"/> x <paramref name="height"/> mode for one source, which held
    /// <paramref name="held"/> pixels (given back first). Null on success (<paramref name="held"/> is the
    /// new mode), else why not, for the status line (<paramref name="held"/> is then 0).
    /// </summary>
    public string? TryReserve(ref long held, int width, int height)
    {
        long pixels = (long)width * height;
        if (pixels > PerConsole)
        {
            Release(ref held);
            return $"{width}x{height} is over the configured limit of {PerConsole} pixels (Streaming:MaxPixels)";
        }
        long delta = pixels - held;
        long now = Interlocked.Add(ref _inUse, delta);
        if (delta > 0 && now > Total)
        {
            Interlocked.Add(ref _inUse, -pixels);
            held = 0;
            return $"{width}x{height} would take the server over its budget of {Total} pixels for all consoles (Streaming:MaxTotalPixels; {now - pixels} in use by others)";
        }
        held = pixels;
        return null;
    }

    /// <summary>Gives back what a source held.</summary>
    public void Release(ref long held)
    {
        if (held != 0)
        {
            Interlocked.Add(ref _inUse, -held);
            held = 0;
        }
    }
}
