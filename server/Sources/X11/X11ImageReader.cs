using System.Runtime.InteropServices;
using WebConsole.Region;

namespace WebConsole.Sources.X11;

/// <summary>
/// Reads rectangles of a screen's root window: through MIT-SHM (<c>ShmGetImage</c> into a segment
/// this process made and the X server attached, no pixel bytes on the socket) when the server has it
/// and shares memory with this process, else through <c>GetImage</c> in bands of at most 256 KB.
/// Rows land in the caller's raw buffer at the rectangle's place, in the screen's own pixel layout.
/// </summary>
internal sealed unsafe class X11ImageReader : IDisposable
{
    private const int BandBytes = 256 * 1024;
    private readonly X11Connection _x;
    private readonly int _bytesPerPixel;
    private byte* _segment;
    private uint _shmseg;

    private X11ImageReader(X11Connection x, int bytesPerPixel)
    {
        _x = x;
        _bytesPerPixel = bytesPerPixel;
    }

    /// <summary>Whether pixels come through shared memory.</summary>
    public bool UsesShm => _segment != null;

    /// <summary>
    /// A reader for screens up to <paramref name="width"/> x <paramref name="height"/>; MIT-SHM is
    /// tried first. <paramref name="shmProblem"/> says why it is not used, when the server has it.
    /// </summary>
    public static X11ImageReader Create(X11Connection x, int width, int height, out string? shmProblem)
    {
        var reader = new X11ImageReader(x, x.Layout.BytesPerPixel);
        shmProblem = null;
        if (x.HasShm)
        {
            shmProblem = reader.TryAttach((long)((width * x.Layout.BytesPerPixel + 3) & ~3) * height);
        }
        return reader;
    }

    private string? TryAttach(long size)
    {
        int error = NativeShm.CreateAttached(Math.Max(size, 4096), out int shmid, out _segment);
        if (error != 0)
        {
            return $"shmget/shmat failed (errno {error})";
        }
        _shmseg = _x.NewId();
        bool attached = _x.Check(XcbNative.xcb_shm_attach_checked(_x.Handle, _shmseg, (uint)shmid, 0));
        // Once both sides are attached (or the server refused), the segment goes when the last detaches.
        NativeShm.Remove(shmid);
        if (!attached)
        {
            NativeShm.Detach(ref _segment);
            return "the X server could not attach this process's segment (another host or namespace?)";
        }
        return null;
    }

    /// <summary>
    /// Copies rectangle <paramref name="r"/> of the root window into <paramref name="raw"/> (rows of
    /// <paramref name="rawStride"/> bytes, the rectangle at its own place); false when the server
    /// refused or went away.
    /// </summary>
    public bool Read(PixelRect r, Span<byte> raw, int rawStride)
    {
        int rowBytes = r.Width * _bytesPerPixel;
        int band = Math.Max(1, BandBytes / Math.Max(1, rowBytes));
        if (UsesShm)
        {
            band = r.Height; // the segment holds a whole screen
        }
        for (int y = r.Y; y < r.Y + r.Height; y += band)
        {
            int rows = Math.Min(band, r.Y + r.Height - y);
            if (!ReadBand(new PixelRect(r.X, y, r.Width, rows), raw, rawStride))
            {
                return false;
            }
        }
        return true;
    }

    private bool ReadBand(PixelRect r, Span<byte> raw, int rawStride)
    {
        int rowBytes = r.Width * _bytesPerPixel;
        // ZPixmap rows are padded to 32 bits.
        int sourceStride = (rowBytes + 3) & ~3;
        byte* reply;
        ReadOnlySpan<byte> pixels;
        if (UsesShm)
        {
            reply = XcbNative.xcb_shm_get_image_reply(_x.Handle, XcbNative.xcb_shm_get_image(_x.Handle, _x.Root,
                (short)r.X, (short)r.Y, (ushort)r.Width, (ushort)r.Height, uint.MaxValue, XcbNative.ImageFormatZPixmap, _shmseg, 0), 0);
            pixels = new ReadOnlySpan<byte>(_segment, sourceStride * r.Height);
        }
        else
        {
            reply = XcbNative.xcb_get_image_reply(_x.Handle, XcbNative.xcb_get_image(_x.Handle, XcbNative.ImageFormatZPixmap, _x.Root,
                (short)r.X, (short)r.Y, (ushort)r.Width, (ushort)r.Height, uint.MaxValue), 0);
            if (reply == null)
            {
                return false;
            }
            int length = XcbNative.xcb_get_image_data_length(reply);
            if (length < (long)sourceStride * r.Height)
            {
                NativeMemory.Free(reply);
                return false; // a server sending less than it was asked for
            }
            pixels = new ReadOnlySpan<byte>(XcbNative.xcb_get_image_data(reply), sourceStride * r.Height);
        }
        if (reply == null)
        {
            return false;
        }
        try
        {
            for (int row = 0; row < r.Height; row++)
            {
                pixels.Slice(row * sourceStride, rowBytes).CopyTo(raw.Slice((r.Y + row) * rawStride + r.X * _bytesPerPixel, rowBytes));
            }
            return true;
        }
        finally
        {
            NativeMemory.Free(reply);
        }
    }

    public void Dispose()
    {
        if (_segment != null)
        {
            if (!_x.HasFailed)
            {
                _ = XcbNative.xcb_shm_detach(_x.Handle, _shmseg);
                _x.Flush();
            }
            NativeShm.Detach(ref _segment);
        }
    }
}
