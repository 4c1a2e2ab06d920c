using System.Runtime.InteropServices;

namespace WebConsole.Encoding;

/// <summary>Whether libjpeg-turbo's TurboJPEG library can be used on this machine.</summary>
public static class TurboJpeg
{
    /// <summary>
    /// The soname of the TurboJPEG 2.x library (Debian and Ubuntu package <c>libturbojpeg0</c>).
    /// The versioned name because the unversioned <c>libturbojpeg.so</c> only comes with the -dev package.
    /// </summary>
    public const string LibraryName = "libturbojpeg.so.0";

    private static readonly bool s_available = Probe();

    /// <summary>
    /// True when the library loads and exports every function <see cref="TurboJpegEncoder"/> calls;
    /// otherwise JPEG rectangles are encoded with SkiaSharp.
    /// </summary>
    public static bool IsAvailable => s_available;

    private static bool Probe()
    {
        if (!NativeLibrary.TryLoad(LibraryName, out IntPtr library))
        {
            return false;
        }
        // A very old or odd build could lack a function; find out now rather than at the first frame.
        // The library stays loaded: the [LibraryImport] stubs bind to it later.
        return NativeLibrary.TryGetExport(library, "tjInitCompress", out _)
            && NativeLibrary.TryGetExport(library, "tjCompress2", out _)
            && NativeLibrary.TryGetExport(library, "tjBufSize", out _)
            && NativeLibrary.TryGetExport(library, "tjDestroy", out _)
            && NativeLibrary.TryGetExport(library, "tjGetErrorStr2", out _)
            && NativeLibrary.TryGetExport(library, "tjGetErrorCode", out _);
    }
}
