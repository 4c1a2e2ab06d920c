using System.Runtime.InteropServices;

namespace WebConsole.Sources.X11;

/// <summary>
/// The few Xlib and XTEST calls input needs (libX11.so.6, libXtst.so.6). Xlib is not thread-safe
/// and XInitThreads is not called: every call on one Display happens under its owner's lock.
/// </summary>
internal static unsafe partial class X11Native
{
    private const string LibX11 = "libX11.so.6";
    private const string LibXtst = "libXtst.so.6";

    [LibraryImport(LibX11, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint XOpenDisplay(string? name);

    [LibraryImport(LibX11)]
    public static partial int XCloseDisplay(nint display);

    [LibraryImport(LibX11)]
    public static partial int XFlush(nint display);

    [LibraryImport(LibX11)]
    public static partial int XConnectionNumber(nint display);

    [LibraryImport(LibX11)]
    public static partial byte XKeysymToKeycode(nint display, nuint keysym);

    [LibraryImport(LibX11)]
    public static partial nint XSetErrorHandler(delegate* unmanaged<nint, nint, int> handler);

    [LibraryImport(LibX11)]
    public static partial nint XSetIOErrorHandler(delegate* unmanaged<nint, int> handler);

    /// <summary>libX11 1.7+: what happens after an I/O error; the default calls exit().</summary>
    [LibraryImport(LibX11)]
    public static partial void XSetIOErrorExitHandler(nint display, delegate* unmanaged<nint, nint, void> handler, nint userData);

    [LibraryImport(LibXtst)]
    public static partial int XTestQueryExtension(nint display, out int eventBase, out int errorBase, out int major, out int minor);

    [LibraryImport(LibXtst)]
    public static partial int XTestFakeKeyEvent(nint display, uint keycode, int isPress, nuint delay);

    [LibraryImport(LibXtst)]
    public static partial int XTestFakeButtonEvent(nint display, uint button, int isPress, nuint delay);

    [LibraryImport(LibXtst)]
    public static partial int XTestFakeMotionEvent(nint display, int screen, int x, int y, nuint delay);
}
