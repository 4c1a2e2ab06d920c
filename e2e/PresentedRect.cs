using WebConsole.Region;

namespace WebConsole.E2E;

/// <summary>One rectangle of a presented update: where, and its kind (0 solid, 1 PNG, 2 JPEG).</summary>
internal sealed record PresentedRect(int X, int Y, int W, int H, int Kind)
{
    public PixelRect Bounds => new(X, Y, W, H);

    public bool LiesWithin(PixelRect area) => X >= area.X && Y >= area.Y && X + W <= area.Right && Y + H <= area.Bottom;

    public bool Overlaps(PixelRect area) => X < area.Right && area.X < X + W && Y < area.Bottom && area.Y < Y + H;
}
