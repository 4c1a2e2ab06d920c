namespace WebConsole.Region;

/// <summary>The cursor plane as published in the header.</summary>
/// <param name="X">Hotspot position in frame pixels (may lie outside the frame).</param>
/// <param name="Y">Hotspot position in frame pixels.</param>
/// <param name="HotX">Hotspot inside the image.</param>
/// <param name="HotY">Hotspot inside the image.</param>
/// <param name="Width">Image width, 0..64.</param>
/// <param name="Height">Image height, 0..64.</param>
/// <param name="Visible">Whether the guest shows the cursor.</param>
/// <param name="Serial">Changes whenever the image changes.</param>
public readonly record struct CursorState(int X, int Y, int HotX, int HotY, int Width, int Height, bool Visible, uint Serial);
