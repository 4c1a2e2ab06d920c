using System.Runtime.InteropServices;

namespace WebConsole.Tests.Sources;

/// <summary>Asks the X server where its pointer is and which buttons are down (XQueryPointer), to check XTEST from the server's side.</summary>
internal static partial class PointerProbe
{
    public const uint Button1Mask = 1 << 8, Button2Mask = 1 << 9, Button3Mask = 1 << 10;

    public static (int X, int Y, uint Mask) Query(string display)
    {
        nint d = XOpenDisplay(display);
        if (d == 0)
        {
            throw new InvalidOperationException($"cannot open {display}");
        }
        try
        {
            nint root = XDefaultRootWindow(d);
            if (XQueryPointer(d, root, out _, out _, out int x, out int y, out _, out _, out uint mask) == 0)
            {
                throw new InvalidOperationException("XQueryPointer failed");
            }
            return (x, y, mask);
        }
        finally
        {
            _ = XCloseDisplay(d);
        }
    }

    [LibraryImport("libX11.so.6", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint XOpenDisplay(string name);

    [LibraryImport("libX11.so.6")]
    private static partial int XCloseDisplay(nint display);

    [LibraryImport("libX11.so.6")]
    private static partial nint XDefaultRootWindow(nint display);

    [LibraryImport("libX11.so.6")]
    private static partial int XQueryPointer(nint display, nint window, out nint root, out nint child,
        out int rootX, out int rootY, out int winX, out int winY, out uint mask);
}
