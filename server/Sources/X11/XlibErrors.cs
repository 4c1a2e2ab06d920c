using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using static Tmds.Linux.LibC;

namespace WebConsole.Sources.X11;

/// <summary>
/// Xlib's default handlers end the process: on a protocol error (a bad keycode) and on an I/O
/// error (the X server went away). These handlers count instead, and the per-display exit handler
/// returns, so a restarted Xvfb costs a reconnect, not the web server.
/// </summary>
internal static unsafe class XlibErrors
{
    private static readonly ConcurrentDictionary<nint, bool> s_failed = new();
    private static int s_installed;
    private static long s_protocolErrors;

    public static long ProtocolErrors => Interlocked.Read(ref s_protocolErrors);

    /// <summary>Whether <paramref name="display"/> has had an I/O error (its server went away).</summary>
    public static bool HasFailed(nint display) => s_failed.ContainsKey(display);

    /// <summary>
    /// Closes <paramref name="display"/>. One that had an I/O error is not handed to XCloseDisplay:
    /// after its exit handler returned, XCloseDisplay runs the extensions' close hooks on a
    /// half-torn-down display, and libXext then crashed the process with SIGSEGV (XextFindDisplay)
    /// when XTEST had been used on another display before. Only its socket is closed; the Display
    /// structure (a few KB) is left behind, once per X server that died under a write.
    /// </summary>
    public static void Close(nint display)
    {
        if (s_failed.TryRemove(display, out _))
        {
            _ = close(X11Native.XConnectionNumber(display));
            return;
        }
        _ = X11Native.XCloseDisplay(display);
    }

    /// <summary>Installs the process-wide handlers once.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref s_installed, 1) == 0)
        {
            X11Native.XSetErrorHandler(&OnError);
            X11Native.XSetIOErrorHandler(&OnIOError);
        }
    }

    /// <summary>Keeps an I/O error on <paramref name="display"/> from calling exit().</summary>
    public static void ProtectFromExit(nint display) => X11Native.XSetIOErrorExitHandler(display, &OnIOErrorExit, 0);

    [UnmanagedCallersOnly]
    private static int OnError(nint display, nint errorEvent)
    {
        Interlocked.Increment(ref s_protocolErrors);
        return 0;
    }

    [UnmanagedCallersOnly]
    private static int OnIOError(nint display)
    {
        s_failed[display] = true;
        return 0;
    }

    [UnmanagedCallersOnly]
    private static void OnIOErrorExit(nint display, nint userData)
    {
        // Returning marks the display unusable instead of exiting; XTestInput then reconnects.
    }
}
