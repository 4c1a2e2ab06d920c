namespace WebConsole.Bench.X11;

/// <summary>
/// The benchmark's X client: one connection to the display under test, painting on its root
/// window (no window manager runs, so nothing covers it). Each change ends with
/// <see cref="Sync"/>, whose return is the wall clock the latencies start from: the X server
/// has then handled every request. Not thread-safe: one thread uses it at a time.
/// </summary>
internal sealed class XPainter : IDisposable
{
    private readonly nint _display;
    private readonly nuint _root;
    private readonly nint _gc;
    private readonly nint _visual;

    public XPainter(string display)
    {
        _display = XLib.OpenDisplay(display);
        if (_display == 0)
        {
            throw new InvalidOperationException($"XOpenDisplay({display}) failed");
        }
        int screen = XLib.DefaultScreen(_display);
        if (XLib.DefaultDepth(_display, screen) != 24)
        {
            _ = XLib.CloseDisplay(_display);
            throw new InvalidOperationException($"{display} is not a 24-bit screen");
        }
        _root = XLib.RootWindow(_display, screen);
        _visual = XLib.DefaultVisual(_display, screen);
        Width = XLib.DisplayWidth(_display, screen);
        Height = XLib.DisplayHeight(_display, screen);
        _gc = XLib.CreateGC(_display, _root, 0, 0);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>A rectangle of 0xRRGGBB (a TrueColor 24-bit pixel value is the colour itself).</summary>
    public void Fill(int x, int y, int width, int height, uint rgb)
    {
        _ = XLib.SetForeground(_display, _gc, rgb);
        _ = XLib.FillRectangle(_display, _root, _gc, x, y, (uint)width, (uint)height);
    }

    public XImageBuffer CreateImage(int width, int height) => new(_display, _visual, width, height);

    public void Put(XImageBuffer image, int x, int y) =>
        _ = XLib.PutImage(_display, _root, _gc, image.Handle, 0, 0, x, y, (uint)image.Width, (uint)image.Height);

    /// <summary>Waits until the X server has handled every request; returns the wall clock (Unix ms) right after.</summary>
    public double Sync()
    {
        _ = XLib.Sync(_display, false);
        return Clock.NowMs();
    }

    public void Dispose()
    {
        _ = XLib.FreeGC(_display, _gc);
        _ = XLib.CloseDisplay(_display);
    }
}
