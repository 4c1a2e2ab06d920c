using WebConsole.Region;

namespace WebConsole.Demo;

/// <summary>The last <see cref="Length"/> pointer positions, drawn as dots over everything else.</summary>
internal sealed class PointerTrail
{
    /// <summary>How many positions the trail keeps.</summary>
    public const int Length = 32;

    private const int DotSize = 8;

    private readonly int[] _x = new int[Length];
    private readonly int[] _y = new int[Length];
    private readonly uint[] _color = new uint[Length];
    private int _oldest;
    private int _count;

    /// <summary>Adds a dot, dropping the oldest once full; both show up in <paramref name="damage"/>.</summary>
    public void Add(int x, int y, uint buttons, DamageList damage)
    {
        uint color = (buttons & InputEvent.ButtonLeft) != 0 ? Colors.DotLeft
            : (buttons & InputEvent.ButtonRight) != 0 ? Colors.DotRight
            : (buttons & InputEvent.ButtonMiddle) != 0 ? Colors.DotMiddle
            : Colors.DotHover;
        if (_count > 0)
        {
            int newest = (_oldest + _count - 1) % Length;
            if (_x[newest] == x && _y[newest] == y && _color[newest] == color)
            {
                return; // nothing new to draw
            }
        }
        int slot;
        if (_count == Length)
        {
            damage.Add(Dot(_oldest));
            slot = _oldest;
            _oldest = (_oldest + 1) % Length;
        }
        else
        {
            slot = (_oldest + _count) % Length;
            _count++;
        }
        _x[slot] = x;
        _y[slot] = y;
        _color[slot] = color;
        damage.Add(Dot(slot));
    }

    /// <summary>Draws the dots that touch the painter's clip, oldest first so the newest stays on top.</summary>
    public void Draw(in Painter painter)
    {
        for (int i = 0; i < _count; i++)
        {
            int slot = (_oldest + i) % Length;
            PixelRect dot = Dot(slot);
            if (painter.Touches(dot))
            {
                // Two overlapping bars: a dot with its corners cut.
                painter.Fill(new PixelRect(dot.X, dot.Y + 2, DotSize, DotSize - 4), _color[slot]);
                painter.Fill(new PixelRect(dot.X + 2, dot.Y, DotSize - 4, DotSize), _color[slot]);
                painter.Fill(new PixelRect(dot.X + 1, dot.Y + 1, DotSize - 2, DotSize - 2), _color[slot]);
            }
        }
    }

    private PixelRect Dot(int slot) => new(_x[slot] - DotSize / 2, _y[slot] - DotSize / 2, DotSize, DotSize);
}
