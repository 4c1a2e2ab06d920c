using WebConsole.Testing;

namespace WebConsole.E2E;

/// <summary>What QEMU itself shows on the guest's console (QMP screendump), as a picture to compare with the page.</summary>
internal static class QemuReference
{
    /// <summary>QEMU's screendump, pixel for pixel.</summary>
    public static TestImage Screen(this QemuVm vm)
    {
        uint[] pixels = vm.Screendump(out int width, out int height);
        var image = new TestImage(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                uint v = pixels[y * width + x];
                image.Set(x, y, new Rgb((byte)(v >> 16), (byte)(v >> 8), (byte)v));
            }
        }
        return image;
    }
}
