namespace WebConsole.Sources.Fbdev;

/// <summary>
/// The visible picture of a framebuffer device, checked: its size, where it starts in the
/// device memory (the panned page), the row pitch and the pixel layout.
/// </summary>
public readonly record struct FbdevMode(int Width, int Height, long Offset, int LineLength, PixelLayout Layout, long MapLength)
{
    /// <summary>Largest side accepted.</summary>
    public const int MaxSide = 16384;

    /// <summary>Combines and checks what the two ioctls said; false with a reason an operator can act on.</summary>
    public static bool TryCreate(in FbVarScreenInfo v, in FbFixScreenInfo f, out FbdevMode mode, out string? reason)
    {
        mode = default;
        if (f.Type != FbFixScreenInfo.TypePackedPixels)
        {
            reason = $"{f.Id}: type {f.Type} is not packed pixels (0); planar and interleaved framebuffers are not supported";
            return false;
        }
        if (f.Visual is not (FbFixScreenInfo.VisualTrueColor or FbFixScreenInfo.VisualDirectColor))
        {
            reason = $"{f.Id}: visual {f.Visual} is not truecolor (2) or directcolor (4); monochrome and palette modes are not supported";
            return false;
        }
        if (v.Grayscale != 0 || v.NonStd != 0)
        {
            reason = $"{f.Id}: grayscale {v.Grayscale} / nonstd {v.NonStd} pixel formats are not supported";
            return false;
        }
        if (v.XRes is 0 or > MaxSide || v.YRes is 0 or > MaxSide)
        {
            reason = $"{f.Id}: resolution {v.XRes}x{v.YRes} is outside 1..{MaxSide}";
            return false;
        }
        if (v.Red.MsbRight != 0 || v.Green.MsbRight != 0 || v.Blue.MsbRight != 0)
        {
            reason = $"{f.Id}: channels with msb_right are not supported";
            return false;
        }
        if (v.BitsPerPixel is not (16 or 24 or 32) || v.Red.Offset > 32 || v.Green.Offset > 32 || v.Blue.Offset > 32 ||
            v.Red.Length > 16 || v.Green.Length > 16 || v.Blue.Length > 16)
        {
            reason = $"{f.Id}: {v.BitsPerPixel} bits per pixel is not supported (16, 24 or 32)";
            return false;
        }
        var layout = new PixelLayout((int)v.BitsPerPixel, (int)v.Red.Offset, (int)v.Red.Length, (int)v.Green.Offset, (int)v.Green.Length,
            (int)v.Blue.Offset, (int)v.Blue.Length);
        if (layout.Problem() is { } problem)
        {
            reason = $"{f.Id}: {problem}";
            return false;
        }
        long rowBytes = (long)v.XRes * layout.BytesPerPixel;
        if (f.LineLength < rowBytes)
        {
            reason = $"{f.Id}: line_length {f.LineLength} is shorter than a row of {v.XRes} pixels ({rowBytes} bytes)";
            return false;
        }
        // The visible page: panning moves the window over the virtual screen.
        long offset = (long)v.YOffset * f.LineLength + (long)v.XOffset * layout.BytesPerPixel;
        long end = offset + (long)(v.YRes - 1) * f.LineLength + rowBytes;
        if (end > f.SmemLength)
        {
            reason = $"{f.Id}: the visible page ({v.XRes}x{v.YRes} at offset {v.XOffset},{v.YOffset}, {f.LineLength} bytes a line) " +
                $"ends at {end}, past the {f.SmemLength} bytes of framebuffer memory";
            return false;
        }
        mode = new FbdevMode((int)v.XRes, (int)v.YRes, offset, (int)f.LineLength, layout, f.SmemLength);
        reason = null;
        return true;
    }
}
