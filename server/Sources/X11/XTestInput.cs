using Tmds.Linux;
using WebConsole.Region;
using static Tmds.Linux.LibC;

namespace WebConsole.Sources.X11;

/// <summary>
/// Keyboard and pointer into an X server through the XTEST extension: one Display connection,
/// opened on first use and again after the server restarts, every Xlib call under one lock.
/// </summary>
/// <remarks>
/// Keys: the X server's keycode is the evdev code + 8, which is what Xvfb's default keymap (xkb
/// rules "evdev") and any X server using the evdev rules expect. Pointer: absolute motion, then a
/// press or release for each button whose bit changed (left 1, middle 2, right 3, back 8, forward 9).
/// Wheel: one click of button 4/5 (up/down) or 6/7 (left/right) per notch of 120 units.
/// </remarks>
public sealed partial class XTestInput : IDisposable
{
    private const int WheelNotch = 120;
    private const int MaxEvdevCode = 255 - 8;
    private static readonly TimeSpan s_retryAfter = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private nint _display;
    private long _lastAttempt = long.MinValue;
    private bool _warnedUnreachable;
    private uint _buttons;
    private int _wheelX, _wheelY;
    private bool _disposed;

    /// <summary>Input for the X display <paramref name="display"/>, e.g. <c>:99</c>.</summary>
    public XTestInput(string display, TimeProvider time, ILogger<XTestInput> logger)
    {
        Display = display;
        _time = time;
        _logger = logger;
    }

    /// <summary>The X display name.</summary>
    public string Display { get; }

    /// <summary>Whether a connection is open (after the first event, until the server goes away).</summary>
    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _display != 0;
            }
        }
    }

    /// <summary>Sends one event; false when the X server cannot be reached or the event has no X equivalent.</summary>
    public bool TrySend(in InputEvent e)
    {
        lock (_gate)
        {
            if (_disposed || !EnsureConnected())
            {
                return false;
            }
            bool sent = e.Type switch
            {
                InputEventType.Key => Key(e.Code, e.Value != 0),
                InputEventType.Pointer => Pointer(e.X, e.Y, e.Value),
                InputEventType.Wheel => Wheel(e.X, e.Y),
                _ => false,
            };
            _ = X11Native.XFlush(_display);
            if (XlibErrors.HasFailed(_display))
            {
                // The server went away under this call; the next event reconnects.
                LogDisconnected(Display);
                CloseDisplay();
                return false;
            }
            return sent;
        }
    }

    private bool Key(ushort evdevCode, bool down)
    {
        if (evdevCode is 0 or > MaxEvdevCode)
        {
            return false;
        }
        return X11Native.XTestFakeKeyEvent(_display, (uint)evdevCode + 8, down ? 1 : 0, 0) != 0;
    }

    private bool Pointer(int x, int y, uint buttons)
    {
        bool ok = X11Native.XTestFakeMotionEvent(_display, -1, Math.Max(0, x), Math.Max(0, y), 0) != 0;
        uint changed = (_buttons ^ buttons) & 0x1F;
        for (int bit = 0; bit < 5; bit++)
        {
            uint mask = 1u << bit;
            if ((changed & mask) != 0)
            {
                ok &= X11Native.XTestFakeButtonEvent(_display, XButton(bit), (buttons & mask) != 0 ? 1 : 0, 0) != 0;
            }
        }
        _buttons = buttons & 0x1F;
        return ok;
    }

    /// <summary>Bit 0..4 of the mask (left, middle, right, back, forward) to the X button number.</summary>
    private static uint XButton(int bit) => bit switch
    {
        0 => 1,
        1 => 2,
        2 => 3,
        3 => 8,
        _ => 9,
    };

    private bool Wheel(int dx, int dy)
    {
        _wheelX += dx;
        _wheelY += dy;
        bool ok = Clicks(ref _wheelY, up: 4, down: 5);
        ok &= Clicks(ref _wheelX, up: 6, down: 7);
        return ok;
    }

    private bool Clicks(ref int units, uint up, uint down)
    {
        bool ok = true;
        while (units >= WheelNotch || units <= -WheelNotch)
        {
            uint button = units > 0 ? down : up;
            units -= units > 0 ? WheelNotch : -WheelNotch;
            ok &= X11Native.XTestFakeButtonEvent(_display, button, 1, 0) != 0;
            ok &= X11Native.XTestFakeButtonEvent(_display, button, 0, 0) != 0;
        }
        return ok;
    }

    private bool EnsureConnected()
    {
        if (_display != 0 && ServerHungUp())
        {
            LogDisconnected(Display);
            CloseDisplay();
        }
        if (_display != 0)
        {
            return true;
        }
        long now = _time.GetTimestamp();
        if (_lastAttempt != long.MinValue && _time.GetElapsedTime(_lastAttempt, now) < s_retryAfter)
        {
            return false;
        }
        _lastAttempt = now;
        XlibErrors.Install();
        nint display = X11Native.XOpenDisplay(Display);
        if (display == 0)
        {
            if (!_warnedUnreachable)
            {
                _warnedUnreachable = true;
                LogUnreachable(Display);
            }
            return false;
        }
        XlibErrors.ProtectFromExit(display);
        if (X11Native.XTestQueryExtension(display, out _, out _, out int major, out int minor) == 0)
        {
            _ = X11Native.XCloseDisplay(display);
            LogNoXTest(Display);
            return false;
        }
        _display = display;
        _warnedUnreachable = false;
        _buttons = 0;
        _wheelX = _wheelY = 0;
        LogConnected(Display, major, minor);
        return true;
    }

    /// <summary>
    /// True when the server closed the connection (it exited): checked before using the display,
    /// so Xlib never writes to a dead socket. Nothing is read; MSG_PEEK leaves any pending event.
    /// </summary>
    private unsafe bool ServerHungUp()
    {
        int fd = X11Native.XConnectionNumber(_display);
        pollfd p = new() { fd = fd, events = POLLIN };
        if (poll(&p, 1, 0) <= 0)
        {
            return false;
        }
        if ((p.revents & POLLHUP) != 0 || (p.revents & POLLERR) != 0 || (p.revents & POLLNVAL) != 0)
        {
            return true;
        }
        byte b;
        long n = recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
        return n == 0;
    }

    private void CloseDisplay()
    {
        if (_display != 0)
        {
            XlibErrors.Close(_display);
            _display = 0;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            CloseDisplay();
        }
    }
}
