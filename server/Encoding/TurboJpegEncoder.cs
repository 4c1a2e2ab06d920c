using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using WebConsole.Region;

namespace WebConsole.Encoding;

/// <summary>JPEG through libjpeg-turbo's TurboJPEG API, straight from the frame: no pixel conversion or copy.</summary>
/// <remarks>
/// The frame is handed over as <c>TJPF_BGRX</c> with pitch = stride, which is exactly XRGB8888 in
/// memory. Output goes into a scratch buffer sized with <c>tjBufSize</c> (the worst case) and
/// <c>TJFLAG_NOREALLOC</c>, so the library never allocates. Not thread-safe: a <c>tjhandle</c>
/// belongs to one thread at a time.
/// </remarks>
public sealed unsafe class TurboJpegEncoder : IJpegEncoder
{
    private readonly TurboJpegHandle _handle;
    private byte[] _scratch = [];

    /// <exception cref="DllNotFoundException"><see cref="TurboJpeg.IsAvailable"/> is false.</exception>
    public TurboJpegEncoder(int quality = FrameEncoder.DefaultJpegQuality)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        if (!TurboJpeg.IsAvailable)
        {
            throw new DllNotFoundException($"{TurboJpeg.LibraryName} is not installed (Debian: libturbojpeg0).");
        }
        Quality = quality;
        _handle = TurboJpegNative.InitCompress();
        if (_handle.IsInvalid)
        {
            throw new InvalidOperationException($"tjInitCompress failed: {ErrorMessage(_handle)}");
        }
    }

    /// <inheritdoc />
    public int Quality
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 100);
            field = value;
        }
    }

    /// <summary>Chroma subsampling, <see cref="TurboJpegNative.TJSAMP_420"/> (kept, see docs/PERFORMANCE.md) or TJSAMP_444 (measured in <c>bench -- codecs</c>).</summary>
    internal int Subsampling { get; init; } = TurboJpegNative.TJSAMP_420;

    /// <inheritdoc />
    public ReadOnlySpan<byte> Encode(ReadOnlySpan<byte> frame, int stride, PixelRect rect)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        int offset = FrameBounds.Check(frame.Length, stride, rect);
        ulong bound = TurboJpegNative.BufSize(rect.Width, rect.Height, Subsampling).Value;
        if (bound > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(rect), rect, "The rectangle is too large for one JPEG.");
        }
        PooledBuffers.EnsureCapacity(ref _scratch, (int)bound);

        int result;
        CULong size = new((nuint)_scratch.Length);
        fixed (byte* source = frame)
        fixed (byte* destination = _scratch)
        {
            byte* output = destination;
            result = TurboJpegNative.Compress2(_handle, source + offset, rect.Width, stride, rect.Height,
                TurboJpegNative.TJPF_BGRX, &output, &size, Subsampling, Quality, TurboJpegNative.TJFLAG_NOREALLOC);
        }
        // A warning (e.g. a libjpeg notice) still leaves a complete image; only a fatal error does not.
        if (result != 0 && TurboJpegNative.GetErrorCode(_handle) != TurboJpegNative.TJERR_WARNING)
        {
            ThrowCompressFailed();
        }
        return _scratch.AsSpan(0, (int)size.Value);
    }

    public void Dispose()
    {
        _handle.Dispose();
        PooledBuffers.Return(ref _scratch);
    }

    [DoesNotReturn]
    private void ThrowCompressFailed() =>
        throw new InvalidOperationException($"tjCompress2 failed: {ErrorMessage(_handle)}");

    // An invalid (null) handle asks for the library's global error, which is where tjInitCompress reports.
    private static string ErrorMessage(TurboJpegHandle handle) =>
        Marshal.PtrToStringUTF8((IntPtr)TurboJpegNative.GetErrorStr2(handle)) ?? "unknown error";
}
