using System.Runtime.InteropServices;

namespace WebConsole.Encoding;

/// <summary>The few TurboJPEG 2.x functions the encoder needs (turbojpeg.h).</summary>
/// <remarks>
/// <c>unsigned long</c> is <see cref="CULong"/> so the signatures stay right where long is 32 bits.
/// <c>tjGetErrorStr2</c> returns a pointer into the handle (or a static buffer), so it comes back
/// as a raw pointer: a string marshaller would try to free it.
/// </remarks>
internal static unsafe partial class TurboJpegNative
{
    // enum TJPF: RGB, BGR, RGBX, BGRX, XBGR, XRGB, ... BGRX is B,G,R,X in memory: XRGB8888 little-endian.
    public const int TJPF_BGRX = 3;

    // enum TJSAMP: 444, 422, 420, GRAY, 440, 411.
    public const int TJSAMP_444 = 0;
    public const int TJSAMP_420 = 2;

    // Write into the caller's buffer (sized with tjBufSize) instead of reallocating it.
    public const int TJFLAG_NOREALLOC = 1024;

    // enum TJERR: WARNING (output still usable), FATAL.
    public const int TJERR_WARNING = 0;

    [LibraryImport(TurboJpeg.LibraryName, EntryPoint = "tjInitCompress")]
    public static partial TurboJpegHandle InitCompress();

    [LibraryImport(TurboJpeg.LibraryName, EntryPoint = "tjCompress2")]
    public static partial int Compress2(TurboJpegHandle handle, byte* srcBuf, int width, int pitch, int height,
        int pixelFormat, byte** jpegBuf, CULong* jpegSize, int jpegSubsamp, int jpegQual, int flags);

    [LibraryImport(TurboJpeg.LibraryName, EntryPoint = "tjBufSize")]
    public static partial CULong BufSize(int width, int height, int jpegSubsamp);

    [LibraryImport(TurboJpeg.LibraryName, EntryPoint = "tjDestroy")]
    public static partial int Destroy(IntPtr handle);

    [LibraryImport(TurboJpeg.LibraryName, EntryPoint = "tjGetErrorStr2")]
    public static partial byte* GetErrorStr2(TurboJpegHandle handle);

    [LibraryImport(TurboJpeg.LibraryName, EntryPoint = "tjGetErrorCode")]
    public static partial int GetErrorCode(TurboJpegHandle handle);
}
