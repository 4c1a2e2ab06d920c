using System.Globalization;
using WebConsole.Region;

namespace WebConsole.Demo;

/// <summary>
/// What the demo shows, and exactly which rectangles changed since the frame last rendered: a
/// static title bar and labelled panels, a clock, a bouncing square, a marquee, a photo-like
/// picture that changes every few seconds, the keys typed and a trail of pointer positions.
/// </summary>
/// <remarks>
/// Rendering is incremental: <see cref="Render"/> assumes the buffer still holds the previous
/// frame (as <see cref="RegionWriter.TryBeginFrame"/> guarantees) and repaints only the damaged
/// rectangles, each by drawing the whole scene clipped to it. That keeps overlapping content
/// (a pointer dot over a label) right without per-element bookkeeping. The layout is made for
/// 1280 x 720 and simply clipped on smaller frames. Nothing here allocates per frame.
/// </remarks>
internal sealed class DemoScene
{
    private const int Margin = 16;
    private const int TitleScale = 3, TextScale = 2, BigScale = 4;
    private const int TextCell = BitmapFont.Size * TextScale;
    private const int SquareSize = 64;
    private const double SquareSpeedX = 230, SquareSpeedY = 160, HueDegreesPerSecond = 45;
    private const double MarqueePixelsPerSecond = 150;
    private const int TypedCapacity = 60;
    // Far-off coordinates from a confused consumer must not overflow rectangle arithmetic.
    private const int PointerRange = 1 << 20;

    private static readonly TimeSpan NoisePeriod = TimeSpan.FromSeconds(5);

    private const string Title = "WebConsole demo";
    private const string MarqueeText =
        "WebConsole streams a VM console to the browser  *  only damaged rectangles are read, " +
        "compared in 64x64 tiles and sent as PNG or JPEG  *  the cursor travels as its own plane  *  " +
        "type and move the pointer to try the input path  *  ";

    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly uint _seed;
    private readonly PixelRect _frame;
    private readonly string _subtitle;
    private readonly DamageList _damage;
    private readonly PixelRect[] _published = new PixelRect[DamageList.Capacity];

    // Layout (made for 1280 x 720; see the constructor).
    private readonly PixelRect _titleBar, _clockPanel, _noisePanel, _shapePanel, _arena, _strip, _marqueeBand,
        _keyboardPanel, _pointerPanel, _noiseBlock;

    private readonly TextLine _clock, _noiseLabel, _typedLine, _pointerLine;
    private readonly PhotoNoise _noise = new();
    private readonly PointerTrail _trail = new();
    private readonly char[] _typed = new char[TypedCapacity];
    private readonly int _marqueePeriod;

    private bool _full = true;
    private PixelRect _square;
    private uint _squareColor;
    private int _marqueeOffset = -1;
    private long _noiseIndex = -1;
    private int _typedLength;
    private bool _leftShift, _rightShift, _capsLock;
    private bool _havePointer;
    private int _pointerX, _pointerY;
    private uint _buttons;
    private long _wheelX, _wheelY;

    /// <summary>A scene for a frame of the size in <paramref name="options"/>, taking time from <paramref name="time"/>.</summary>
    public DemoScene(DemoProducerOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        int width = options.Width, height = options.Height;
        _time = time;
        _start = time.GetTimestamp();
        _seed = options.Seed;
        _frame = new PixelRect(0, 0, width, height);
        _damage = new DamageList(width, height);
        string pace = options.Requested ? "on request" : string.Create(CultureInfo.InvariantCulture, $"{options.FramesPerSecond} fps");
        _subtitle = string.Create(CultureInfo.InvariantCulture,
            $"{width}x{height}, {options.BufferCount} buffer{(options.BufferCount == 1 ? "" : "s")}, {pace}");

        int right = Math.Max(width - Margin, 448 + 2 * Margin);
        _titleBar = new PixelRect(0, 0, width, 48);
        _clockPanel = new PixelRect(Margin, 64, 416, 104);
        _noisePanel = new PixelRect(Margin, 184, 416, 240);
        _shapePanel = new PixelRect(448, 64, right - 448, 360);
        _arena = new PixelRect(_shapePanel.X + 12, _shapePanel.Y + 32, _shapePanel.Width - 24, _shapePanel.Height - 44);
        _strip = new PixelRect(Margin, 440, Math.Max(right - Margin, 0), 48);
        _marqueeBand = new PixelRect(_strip.X, _strip.Y + 8, _strip.Width, BitmapFont.Size * BigScale);
        _keyboardPanel = new PixelRect(Margin, 504, Math.Max(right - Margin, 0), 88);
        _pointerPanel = new PixelRect(Margin, 608, Math.Max(right - Margin, 0), 96);
        _noiseBlock = new PixelRect(_noisePanel.X + (_noisePanel.Width - PhotoNoise.Width) / 2, _noisePanel.Y + 38,
            PhotoNoise.Width, PhotoNoise.Height);

        _clock = new TextLine(_clockPanel.X + 16, _clockPanel.Y + 44, 10, BigScale, Colors.Clock, Colors.Panel);
        _noiseLabel = new TextLine(_noisePanel.Right - 12 - 10 * TextCell, _noisePanel.Y + 10, 10, TextScale, Colors.Label, Colors.Panel);
        _typedLine = new TextLine(_keyboardPanel.X + 12 + "typed: ".Length * TextCell, _keyboardPanel.Y + 44, TypedCapacity + 1, TextScale, Colors.Text, Colors.Panel);
        _pointerLine = new TextLine(_pointerPanel.X + 12, _pointerPanel.Y + 48, 70, TextScale, Colors.Text, Colors.Panel);
        _marqueePeriod = MarqueeText.Length * BitmapFont.Size * BigScale;
    }

    /// <summary>Frame width in pixels.</summary>
    public int Width => _frame.Width;

    /// <summary>Frame height in pixels.</summary>
    public int Height => _frame.Height;

    /// <summary>Where the typed characters (and the caret after them) are drawn.</summary>
    public PixelRect TypedBounds => _typedLine.Bounds;

    /// <summary>Where the clock is drawn.</summary>
    public PixelRect ClockBounds => _clock.Bounds;

    /// <summary>The title bar, drawn once.</summary>
    public PixelRect TitleBounds => _titleBar;

    /// <summary>The characters typed so far (the last <c>60</c>).</summary>
    public ReadOnlySpan<char> Typed => _typed.AsSpan(0, _typedLength);

    /// <summary>Applies one input event: keys type, the pointer leaves a dot, the wheel counts.</summary>
    public void HandleInput(in InputEvent e)
    {
        switch (e.Type)
        {
            case InputEventType.Key:
                HandleKey(e.Code, e.Value != 0);
                break;
            case InputEventType.Pointer:
                _havePointer = true;
                _pointerX = Math.Clamp(e.X, -PointerRange, PointerRange);
                _pointerY = Math.Clamp(e.Y, -PointerRange, PointerRange);
                _buttons = e.Value;
                _trail.Add(_pointerX, _pointerY, _buttons, _damage);
                break;
            case InputEventType.Wheel:
                _wheelX += e.X;
                _wheelY += e.Y;
                break;
        }
    }

    private void HandleKey(ushort code, bool down)
    {
        switch (code)
        {
            case KeyMap.LeftShift:
                _leftShift = down;
                return;
            case KeyMap.RightShift:
                _rightShift = down;
                return;
            case KeyMap.CapsLock:
                _capsLock ^= down;
                return;
        }
        if (!down || KeyMap.IsModifier(code))
        {
            return;
        }
        if (code == KeyMap.Backspace)
        {
            _typedLength = Math.Max(0, _typedLength - 1);
            return;
        }
        char c = code == KeyMap.Enter ? '|' : KeyMap.Translate(code, _leftShift || _rightShift, _capsLock);
        if (_typedLength == TypedCapacity)
        {
            _typed.AsSpan(1).CopyTo(_typed); // keep the newest
            _typedLength--;
        }
        _typed[_typedLength++] = c;
    }

    /// <summary>
    /// Brings the scene to the current time and input and collects what changed since the last
    /// <see cref="Render"/>. True when there is something to draw (always before the first frame).
    /// </summary>
    public bool Update()
    {
        TimeSpan elapsed = _time.GetElapsedTime(_start);
        double seconds = elapsed.TotalSeconds;
        Span<char> text = stackalloc char[128];

        DateTimeOffset now = _time.GetLocalNow();
        TwoDigits(text, now.Hour);
        text[2] = ':';
        TwoDigits(text[3..], now.Minute);
        text[5] = ':';
        TwoDigits(text[6..], now.Second);
        text[8] = '.';
        text[9] = (char)('0' + now.Millisecond / 100);
        _clock.Set(text[..10]);
        _clock.CollectDamage(_damage);

        PixelRect square = new(
            _arena.X + Bounce(seconds * SquareSpeedX, _arena.Width - SquareSize),
            _arena.Y + Bounce(seconds * SquareSpeedY, _arena.Height - SquareSize),
            SquareSize, SquareSize);
        uint squareColor = Colors.Hue((int)(seconds * HueDegreesPerSecond));
        if (square != _square || squareColor != _squareColor)
        {
            // Old and new place: one rectangle when they overlap, two when they are apart.
            PixelRect oldInArena = Painter.Intersect(_square, _arena), newInArena = Painter.Intersect(square, _arena);
            if (Painter.Intersect(oldInArena, newInArena).IsEmpty)
            {
                _damage.Add(oldInArena);
                _damage.Add(newInArena);
            }
            else
            {
                _damage.Add(oldInArena.Union(newInArena));
            }
            _square = square;
            _squareColor = squareColor;
        }

        int offset = (int)((long)(seconds * MarqueePixelsPerSecond) % _marqueePeriod);
        if (offset != _marqueeOffset)
        {
            _damage.Add(_marqueeBand);
            _marqueeOffset = offset;
        }

        long noiseIndex = elapsed.Ticks / NoisePeriod.Ticks;
        if (noiseIndex != _noiseIndex)
        {
            _noiseIndex = noiseIndex;
            _noise.Generate(unchecked(_seed * 7919u + (uint)noiseIndex));
            _damage.Add(_noiseBlock);
            "picture #".CopyTo(text);
            ((uint)noiseIndex % 10000 + 1).TryFormat(text[9..], out int digits, provider: CultureInfo.InvariantCulture);
            _noiseLabel.Set(text[..(9 + digits)]);
        }
        _noiseLabel.CollectDamage(_damage);

        _typed.AsSpan(0, _typedLength).CopyTo(text);
        text[_typedLength] = '_';
        _typedLine.Set(text[..(_typedLength + 1)]);
        _typedLine.CollectDamage(_damage);

        _pointerLine.Set(FormatPointer(text));
        _pointerLine.CollectDamage(_damage);

        if (_full)
        {
            _damage.SetFull();
        }
        return _damage.Count > 0;
    }

    /// <summary>
    /// Updates (see <see cref="Update"/>) and repaints what changed into <paramref name="pixels"/>,
    /// which must hold the frame last rendered. Returns the damage to publish: the whole frame
    /// the first time, then tight rectangles. Valid until the next call.
    /// </summary>
    public ReadOnlySpan<PixelRect> Render(Span<byte> pixels, int stride)
    {
        Update();
        ReadOnlySpan<PixelRect> damage = _damage.Rects;
        foreach (PixelRect r in damage)
        {
            Draw(new Painter(pixels, Width, Height, stride, r));
        }
        damage.CopyTo(_published);
        int count = damage.Length;
        _damage.Clear();
        _full = false;
        return _published.AsSpan(0, count);
    }

    /// <summary>Paints the whole scene as it stands into <paramref name="pixels"/>, changing no state: what an incremental render must match.</summary>
    public void DrawAll(Span<byte> pixels, int stride) => Draw(new Painter(pixels, Width, Height, stride, _frame));

    private void Draw(in Painter p)
    {
        p.Fill(_frame, Colors.Background);
        if (p.Touches(_titleBar))
        {
            p.FillHorizontalGradient(_titleBar, _titleBar, Colors.TitleLeft, Colors.TitleRight);
            p.DrawText(Margin, 12, Title, TitleScale, Colors.TitleText);
            int subtitleX = _frame.Width - Margin - _subtitle.Length * TextCell;
            if (subtitleX >= Margin + Title.Length * BitmapFont.Size * TitleScale + Margin)
            {
                p.DrawText(subtitleX, 16, _subtitle, TextScale, Colors.TitleDim);
            }
        }

        DrawPanel(p, _clockPanel, "CLOCK  local time");
        _clock.Draw(p);

        DrawPanel(p, _noisePanel, "PHOTO NOISE");
        _noiseLabel.Draw(p);
        p.Blit(_noiseBlock.X, _noiseBlock.Y, _noise.Pixels, PhotoNoise.Width, PhotoNoise.Height);

        DrawPanel(p, _shapePanel, "MOVING SHAPE");
        if (p.Touches(_arena))
        {
            Painter arena = p.Within(_arena);
            arena.Fill(_arena, Colors.Arena);
            arena.Fill(_square, Colors.Shade(_squareColor, 55));
            arena.Fill(new PixelRect(_square.X + 4, _square.Y + 4, SquareSize - 8, SquareSize - 8), _squareColor);
            arena.Fill(new PixelRect(_square.X + 10, _square.Y + 10, 12, 6), Colors.Shade(0xFFFFFFFF, 92));
        }

        if (p.Touches(_strip))
        {
            p.Fill(_strip, Colors.MarqueeStrip);
            Painter band = p.Within(_marqueeBand);
            if (band.Touches(_marqueeBand))
            {
                for (int x = _marqueeBand.X - _marqueeOffset; x < _marqueeBand.Right; x += _marqueePeriod)
                {
                    band.DrawText(x, _marqueeBand.Y, MarqueeText, BigScale, Colors.MarqueeText);
                }
            }
        }

        DrawPanel(p, _keyboardPanel, "KEYBOARD  click the console and type");
        p.DrawText(_keyboardPanel.X + 12, _typedLine.Bounds.Y, "typed:", TextScale, Colors.Label);
        _typedLine.Draw(p);
        if (p.Touches(_typedLine.Bounds))
        {
            // The caret cell gets its own colour over the text colour.
            int caretX = _typedLine.Bounds.X + _typedLength * TextCell;
            p.DrawText(caretX, _typedLine.Bounds.Y, "_", TextScale, Colors.Caret);
        }

        DrawPanel(p, _pointerPanel, "POINTER  the trail shows the last 32 positions");
        _pointerLine.Draw(p);

        _trail.Draw(p);
    }

    private static void DrawPanel(in Painter p, PixelRect panel, string label)
    {
        if (!p.Touches(panel))
        {
            return;
        }
        p.Fill(panel, Colors.Panel);
        p.Outline(panel, Colors.PanelBorder);
        p.DrawText(panel.X + 12, panel.Y + 10, label, TextScale, Colors.Label);
    }

    private Span<char> FormatPointer(Span<char> text)
    {
        if (!_havePointer)
        {
            const string none = "no pointer event yet: move the pointer over the console";
            none.CopyTo(text);
            return text[..none.Length];
        }
        int n = 0;
        Append(text, ref n, "x ");
        Append(text, ref n, _pointerX);
        Append(text, ref n, "  y ");
        Append(text, ref n, _pointerY);
        Append(text, ref n, "  buttons");
        if (_buttons == 0)
        {
            Append(text, ref n, " none");
        }
        if ((_buttons & InputEvent.ButtonLeft) != 0)
        {
            Append(text, ref n, " left");
        }
        if ((_buttons & InputEvent.ButtonMiddle) != 0)
        {
            Append(text, ref n, " middle");
        }
        if ((_buttons & InputEvent.ButtonRight) != 0)
        {
            Append(text, ref n, " right");
        }
        if ((_buttons & ~(InputEvent.ButtonLeft | InputEvent.ButtonMiddle | InputEvent.ButtonRight)) != 0)
        {
            Append(text, ref n, " other");
        }
        Append(text, ref n, "  wheel ");
        Append(text, ref n, Math.Clamp(_wheelY / 120, int.MinValue, int.MaxValue));
        if (_wheelX != 0)
        {
            Append(text, ref n, "  sideways ");
            Append(text, ref n, Math.Clamp(_wheelX / 120, int.MinValue, int.MaxValue));
        }
        return text[..n];
    }

    private static void Append(Span<char> text, ref int n, ReadOnlySpan<char> s)
    {
        s.CopyTo(text[n..]);
        n += s.Length;
    }

    private static void Append(Span<char> text, ref int n, long value)
    {
        value.TryFormat(text[n..], out int written, provider: CultureInfo.InvariantCulture);
        n += written;
    }

    private static void TwoDigits(Span<char> text, int value)
    {
        text[0] = (char)('0' + value / 10);
        text[1] = (char)('0' + value % 10);
    }

    /// <summary>Position along a back-and-forth path of length <paramref name="range"/> after travelling <paramref name="distance"/>.</summary>
    private static int Bounce(double distance, int range)
    {
        if (range <= 0)
        {
            return 0;
        }
        long p = (long)distance % (2L * range);
        return (int)(p <= range ? p : 2L * range - p);
    }
}
