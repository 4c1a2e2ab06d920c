using System.Runtime.InteropServices;
using SkiaSharp;

namespace WebConsole.Encoding;

/// <summary>
/// A Skia output stream over a reusable pooled buffer, so an encoder writes each image without a
/// new native stream or managed array per call. <see cref="Reset"/> starts the next image.
/// </summary>
internal sealed unsafe class ScratchWStream : SKAbstractManagedWStream
{
    private byte[] _buffer = [];
    private int _length;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public void Reset() => _length = 0;

    protected override bool OnWrite(IntPtr buffer, IntPtr size)
    {
        long count = (long)size;
        if (count > int.MaxValue - _length)
        {
            return false;
        }
        int needed = _length + (int)count;
        if (needed > _buffer.Length)
        {
            // Double, so a large image grows in a few steps rather than one per zlib block.
            PooledBuffers.EnsureCapacity(ref _buffer, Math.Max(needed, (int)Math.Min(2L * _buffer.Length, Array.MaxLength)), _length);
        }
        new ReadOnlySpan<byte>((void*)buffer, (int)count).CopyTo(_buffer.AsSpan(_length));
        _length = needed;
        return true;
    }

    protected override void OnFlush()
    {
    }

    protected override IntPtr OnBytesWritten() => _length;

    protected override void DisposeManaged()
    {
        PooledBuffers.Return(ref _buffer);
        base.DisposeManaged();
    }
}
