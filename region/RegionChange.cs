namespace WebConsole.Region;

/// <summary>What one <see cref="RegionReader.Poll"/> found.</summary>
[Flags]
public enum RegionChange
{
    None = 0,
    /// <summary>Pixels changed; <see cref="RegionReader.Damage"/> lists where.</summary>
    Pixels = 1,
    /// <summary>Size, format or buffers changed (new generation): the whole frame was read again.</summary>
    Mode = 2,
    /// <summary>A new producer (new epoch or a replaced file): the whole frame was read again.</summary>
    Restart = 4,
    /// <summary>Cursor position, visibility or hotspot changed.</summary>
    Cursor = 8,
    /// <summary>The cursor image changed.</summary>
    CursorImage = 16,
    /// <summary>The status or its reason changed (waiting, invalid, ready).</summary>
    Status = 32,
}
