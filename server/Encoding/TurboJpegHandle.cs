using System.Runtime.InteropServices;

namespace WebConsole.Encoding;

/// <summary>A <c>tjhandle</c>, destroyed even if its encoder is never disposed.</summary>
internal sealed class TurboJpegHandle : SafeHandle
{
    public TurboJpegHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => TurboJpegNative.Destroy(handle) == 0;
}
