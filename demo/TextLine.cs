using WebConsole.Region;

namespace WebConsole.Demo;

/// <summary>
/// A fixed row of character cells (clock, typed keys, pointer readout). Remembers what the last
/// published frame showed, so a change damages only the cells from the first to the last that
/// differ, not the whole line.
/// </summary>
internal sealed class TextLine
{
    private readonly char[] _text;
    private readonly char[] _shown;
    private readonly int _scale;
    private readonly uint _color;
    private readonly uint _background;

    /// <summary>A line of <paramref name="capacity"/> cells, blank at first.</summary>
    public TextLine(int x, int y, int capacity, int scale, uint color, uint background)
    {
        _text = new char[capacity];
        _shown = new char[capacity];
        Array.Fill(_text, ' ');
        Array.Fill(_shown, ' ');
        _scale = scale;
        _color = color;
        _background = background;
        Bounds = new PixelRect(x, y, capacity * CellSize, CellSize);
    }

    /// <summary>All cells, drawn with their background whether blank or not.</summary>
    public PixelRect Bounds { get; }

    private int CellSize => BitmapFont.Size * _scale;

    /// <summary>Sets the text: cut at the capacity, blank-padded after its end.</summary>
    public void Set(ReadOnlySpan<char> text)
    {
        int n = Math.Min(text.Length, _text.Length);
        text[..n].CopyTo(_text);
        _text.AsSpan(n).Fill(' ');
    }

    /// <summary>Adds the cells that differ from the last call to <paramref name="damage"/>, and takes the text as shown.</summary>
    public void CollectDamage(DamageList damage)
    {
        int first = _text.AsSpan().CommonPrefixLength(_shown);
        if (first == _text.Length)
        {
            return;
        }
        int last = _text.Length - 1;
        while (_text[last] == _shown[last])
        {
            last--;
        }
        damage.Add(new PixelRect(Bounds.X + first * CellSize, Bounds.Y, (last - first + 1) * CellSize, CellSize));
        _text.AsSpan().CopyTo(_shown);
    }

    /// <summary>Draws the cells that touch the painter's clip.</summary>
    public void Draw(in Painter painter)
    {
        if (!painter.Touches(Bounds))
        {
            return;
        }
        painter.Fill(Bounds, _background);
        painter.DrawText(Bounds.X, Bounds.Y, _text, _scale, _color);
    }
}
