using System.Runtime.InteropServices;
using WebConsole.Sources.X11;

namespace WebConsole.Bench.X11;

/// <summary>
/// The few libX11 calls the bench's X client needs (Xlib.h), bound here rather than through the
/// server's X11Native, which is internal to the server and may change with its sources.
/// </summary>
internal static partial class XLib
{
    private const string Library = "libX11.so.6";

    /// <summary>ZPixmap in X.h: pixels packed, one plane.</summary>
    public const int ZPixmap = 2;

    [LibraryImport(Library, EntryPoint = "XOpenDisplay", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint OpenDisplay(string name);

    [LibraryImport(Library, EntryPoint = "XCloseDisplay")]
    public static partial int CloseDisplay(nint display);

    [LibraryImport(Library, EntryPoint = "XDefaultScreen")]
    public static partial int DefaultScreen(nint display);

    [LibraryImport(Library, EntryPoint = "XRootWindow")]
    public static partial nuint RootWindow(nint display, int screen);

    [LibraryImport(Library, EntryPoint = "XDefaultVisual")]
    public static partial nint DefaultVisual(nint display, int screen);

    [LibraryImport(Library, EntryPoint = "XDefaultDepth")]
    public static partial int DefaultDepth(nint display, int screen);

    [LibraryImport(Library, EntryPoint = "XDisplayWidth")]
    public static partial int DisplayWidth(nint display, int screen);

    [LibraryImport(Library, EntryPoint = "XDisplayHeight")]
    public static partial int DisplayHeight(nint display, int screen);

    [LibraryImport(Library, EntryPoint = "XCreateGC")]
    public static partial nint CreateGC(nint display, nuint drawable, nuint valueMask, nint values);

    [LibraryImport(Library, EntryPoint = "XFreeGC")]
    public static partial int FreeGC(nint display, nint gc);

    [LibraryImport(Library, EntryPoint = "XSetForeground")]
    public static partial int SetForeground(nint display, nint gc, nuint pixel);

    [LibraryImport(Library, EntryPoint = "XFillRectangle")]
    public static partial int FillRectangle(nint display, nuint drawable, nint gc, int x, int y, uint width, uint height);

    /// <summary>An XImage over <paramref name="data"/>, which stays the caller's: free the struct with <see cref="Free"/>, never XDestroyImage.</summary>
    [LibraryImport(Library, EntryPoint = "XCreateImage")]
    public static partial nint CreateImage(nint display, nint visual, uint depth, int format, int offset, nint data, uint width, uint height, int bitmapPad, int bytesPerLine);

    [LibraryImport(Library, EntryPoint = "XPutImage")]
    public static partial int PutImage(nint display, nuint drawable, nint gc, nint image, int srcX, int srcY, int destX, int destY, uint width, uint height);

    [LibraryImport(Library, EntryPoint = "XSync")]
    public static partial int Sync(nint display, [MarshalAs(UnmanagedType.Bool)] bool discard);

    [LibraryImport(Library, EntryPoint = "XFree")]
    public static partial int Free(nint data);
}
