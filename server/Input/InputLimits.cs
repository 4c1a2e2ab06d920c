namespace WebConsole.Input;

/// <summary>Caps on what one hub call may carry; a call above them is refused whole.</summary>
public static class InputLimits
{
    /// <summary>Events in one <c>Input</c> call (a viewer sends at most a frame's worth at once).</summary>
    public const int MaxEvents = 256;

    /// <summary>Characters in one <c>TypeText</c> call.</summary>
    public const int MaxTextLength = 4096;

    /// <summary>Largest wheel delta per event, in 1/120 notch units (100 notches).</summary>
    public const int MaxWheel = 120 * 100;

    /// <summary>How long <c>TypeText</c> waits for a full input ring to drain before giving up.</summary>
    public static readonly TimeSpan RingStall = TimeSpan.FromSeconds(5);
}
