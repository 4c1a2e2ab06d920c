namespace WebConsole.Region;

/// <summary>Where a consumer stands with its region.</summary>
public enum RegionStatus
{
    /// <summary>No region file yet, or not initialised: the producer has not started.</summary>
    Waiting,
    /// <summary>The region was rejected; the reason says why. Polling retries.</summary>
    Invalid,
    /// <summary>A valid region; the frame copy is current as of the last poll.</summary>
    Ready,
}
