using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using WebConsole.Region;
using WebConsole.Sources.X11;
using WebConsole.Sources.Xwd;
using WebConsole.Sources;
using WebConsole.Testing;

namespace WebConsole.Tests.Sources;

/// <summary>XTEST input against a real Xvfb and a real xterm.</summary>
public sealed class XTestInputTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(15);

    // evdev codes (linux/input-event-codes.h)
    private const ushort KeyLeftShift = 42, KeyLeftCtrl = 29, KeyEnter = 28, KeySpace = 57;

    private static readonly Dictionary<char, ushort> s_keys = new()
    {
        ['a'] = 30, ['b'] = 48, ['c'] = 46, ['d'] = 32, ['e'] = 18, ['f'] = 33, ['g'] = 34, ['h'] = 35, ['i'] = 23, ['j'] = 36,
        ['k'] = 37, ['l'] = 38, ['m'] = 50, ['n'] = 49, ['o'] = 24, ['p'] = 25, ['q'] = 16, ['r'] = 19, ['s'] = 31, ['t'] = 20,
        ['u'] = 22, ['v'] = 47, ['w'] = 17, ['x'] = 45, ['y'] = 21, ['z'] = 44,
        ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10, ['0'] = 11,
    };

    [Fact]
    public void XvfbKeymap_IsEvdevCodesPlus8()
    {
        using var xvfb = new Xvfb("320x200x24");
        nint display = X11Native.XOpenDisplay(xvfb.Display);
        Assert.NotEqual(0, display);
        try
        {
            Assert.Equal(30 + 8, X11Native.XKeysymToKeycode(display, 'a'));
            Assert.Equal(2 + 8, X11Native.XKeysymToKeycode(display, '1'));
            Assert.Equal(KeyEnter + 8, X11Native.XKeysymToKeycode(display, 0xFF0D)); // Return
            Assert.Equal(KeyLeftShift + 8, X11Native.XKeysymToKeycode(display, 0xFFE1)); // Shift_L
            Assert.Equal(103 + 8, X11Native.XKeysymToKeycode(display, 0xFF52)); // Up
            Assert.Equal(125 + 8, X11Native.XKeysymToKeycode(display, 0xFFEB)); // Super_L
        }
        finally
        {
            _ = X11Native.XCloseDisplay(display);
        }
    }

    [Fact]
    public void Typing_ReachesARealXterm()
    {
        using var xvfb = new Xvfb("640x480x24");
        string output = Path.Combine(xvfb.Directory, "out");
        xvfb.Spawn("xterm", "-geometry", "80x24+0+0", "-e", "sh", "-c", $"read line; printf %s \"$line\" > {output}");
        using XwdSource source = new(xvfb.ScreenFile, new XTestInput(xvfb.Display, TimeProvider.System, NullLogger<XTestInput>.Instance),
            TimeProvider.System, NullLogger<XwdSource>.Instance);
        WaitForWindow(xvfb);

        // Focus follows the pointer (no window manager): put it over the xterm first. On a busy
        // machine the window may list before it takes keys, so a line that never arrives is typed
        // again, after Ctrl-U has cleared whatever part of it the terminal got.
        Assert.True(source.TrySendInput(InputEvent.Pointer(100, 100, 0)));
        var waited = Stopwatch.StartNew();
        while (!File.Exists(output))
        {
            Assert.True(waited.Elapsed < s_timeout, "the xterm never wrote the line");
            Assert.True(source.TrySendInput(InputEvent.Key(KeyLeftCtrl, true)));
            Press(source, s_keys['u']);
            Assert.True(source.TrySendInput(InputEvent.Key(KeyLeftCtrl, false)));
            Type(source, "hello World 123");
            Press(source, KeyEnter);
            var attempt = Stopwatch.StartNew();
            while (!File.Exists(output) && attempt.Elapsed < TimeSpan.FromSeconds(3))
            {
                Thread.Sleep(50);
            }
        }
        while (File.ReadAllText(output).Length < "hello World 123".Length && waited.Elapsed < s_timeout)
        {
            Thread.Sleep(50);
        }
        Assert.Equal("hello World 123", File.ReadAllText(output));
    }

    [Fact]
    public void Pointer_MovesAndPressesButtonsInTheXServer()
    {
        using var xvfb = new Xvfb("320x200x24");
        using var input = new XTestInput(xvfb.Display, TimeProvider.System, NullLogger<XTestInput>.Instance);

        const uint buttons = PointerProbe.Button1Mask | PointerProbe.Button2Mask | PointerProbe.Button3Mask;
        Assert.True(input.TrySend(InputEvent.Pointer(123, 45, InputEvent.ButtonLeft)));
        PointerShows(xvfb, 123, 45, PointerProbe.Button1Mask, buttons);

        // Left released, middle and right pressed in one event: every edge reaches the server.
        Assert.True(input.TrySend(InputEvent.Pointer(200, 150, InputEvent.ButtonRight | InputEvent.ButtonMiddle)));
        PointerShows(xvfb, 200, 150, PointerProbe.Button2Mask | PointerProbe.Button3Mask, buttons);

        Assert.True(input.TrySend(InputEvent.Pointer(200, 150, 0)));
        Assert.True(input.TrySend(InputEvent.Wheel(0, -360)));
        PointerShows(xvfb, 200, 150, 0, 0x1F00); // every wheel click was released too
    }

    /// <summary>Waits (the events were flushed, not synced) until the server reports this position and buttons.</summary>
    private static void PointerShows(Xvfb xvfb, int x, int y, uint mask, uint relevant)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var now = PointerProbe.Query(xvfb.Display);
            if ((now.X, now.Y, now.Mask & relevant) == (x, y, mask))
            {
                return;
            }
            Assert.True(waited.Elapsed < s_timeout, $"pointer is at {now.X},{now.Y} mask 0x{now.Mask:X}, expected {x},{y} mask 0x{mask:X}");
            Thread.Sleep(10);
        }
    }

    [Fact]
    public void XlibIOError_WhenTheServerDies_DoesNotEndTheProcess()
    {
        using var xvfb = new Xvfb("320x200x24");
        XlibErrors.Install();
        nint display = X11Native.XOpenDisplay(xvfb.Display);
        Assert.NotEqual(0, display);
        XlibErrors.ProtectFromExit(display);
        xvfb.Kill();

        // Writing to the dead connection makes Xlib call its I/O error handlers; by default the last one calls exit().
        for (int i = 0; i < 50 && !XlibErrors.HasFailed(display); i++)
        {
            _ = X11Native.XTestFakeMotionEvent(display, -1, i, i, 0);
            _ = X11Native.XFlush(display);
            Thread.Sleep(10);
        }
        Assert.True(XlibErrors.HasFailed(display));
        XlibErrors.Close(display);
        Assert.False(XlibErrors.HasFailed(display));
    }

    [Fact]
    public void Input_ReconnectsAfterXvfbRestarts()
    {
        using var xvfb = new Xvfb("320x200x24");
        using var input = new XTestInput(xvfb.Display, TimeProvider.System, NullLogger<XTestInput>.Instance);
        Assert.True(input.TrySend(InputEvent.Pointer(10, 10, InputEvent.ButtonLeft)));
        Assert.True(input.TrySend(InputEvent.Pointer(10, 10, 0)));
        Assert.True(input.IsConnected);

        xvfb.Kill();
        // The old connection is found dead without Xlib ending this process.
        Assert.False(input.TrySend(InputEvent.Key(30, true)));
        Assert.False(input.IsConnected);

        xvfb.Start();
        var waited = Stopwatch.StartNew();
        while (!input.TrySend(InputEvent.Wheel(0, 240)))
        {
            Assert.True(waited.Elapsed < s_timeout, "input never reconnected");
            Thread.Sleep(100);
        }
        Assert.True(input.IsConnected);
    }

    private static void Type(XwdSource source, string text)
    {
        foreach (char c in text)
        {
            if (c == ' ')
            {
                Press(source, KeySpace);
                continue;
            }
            bool shift = char.IsUpper(c);
            if (shift)
            {
                Assert.True(source.TrySendInput(InputEvent.Key(KeyLeftShift, true)));
            }
            Press(source, s_keys[char.ToLowerInvariant(c)]);
            if (shift)
            {
                Assert.True(source.TrySendInput(InputEvent.Key(KeyLeftShift, false)));
            }
        }
    }

    private static void Press(XwdSource source, ushort code)
    {
        Assert.True(source.TrySendInput(InputEvent.Key(code, true)));
        Assert.True(source.TrySendInput(InputEvent.Key(code, false)));
    }

    /// <summary>Waits until the xterm window is mapped (xwininfo lists a child of the root with a size).</summary>
    private static void WaitForWindow(Xvfb xvfb)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            string tree = System.Text.Encoding.UTF8.GetString(xvfb.Run("xwininfo", "-root", "-children", "-display", xvfb.Display));
            if (tree.Contains("\"xterm\"", StringComparison.Ordinal))
            {
                Thread.Sleep(300); // the shell inside gets to its read
                return;
            }
            Assert.True(waited.Elapsed < s_timeout, $"no xterm window: {tree}");
            Thread.Sleep(100);
        }
    }
}
