using WebConsole.Testing;

namespace WebConsole.E2E;

/// <summary>What QEMU itself shows on the guest's console (QMP screendump), as a picture to compare with the page.</summary>
internal static class QemuReference
{
    /// <summary>QEMU's screendump, pixel for pixel.</summary>
    public static TestImage Screen(this QemuVm vm)
    {
        uint[] pixels = vm.Screendump(out int width, out int height);
        return TestImage.FromRgb(pixels, width, height);
    }
}
