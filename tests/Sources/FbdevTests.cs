using System.Buffers.Binary;
using WebConsole.Region;
using WebConsole.Sources.Fbdev;
using WebConsole.Sources;

namespace WebConsole.Tests.Sources;

public sealed class FbdevTests
{
    private static (FbVarScreenInfo Var, FbFixScreenInfo Fix) Parse((string Var, string Fix) capture)
    {
        byte[] v = System.Convert.FromHexString(capture.Var), f = System.Convert.FromHexString(capture.Fix);
        Assert.Equal(FbVarScreenInfo.Size, v.Length);
        Assert.Equal(FbFixScreenInfo.Size, f.Length);
        return (FbVarScreenInfo.Parse(v), FbFixScreenInfo.Parse(f));
    }

    private static FbdevMode Mode((string Var, string Fix) capture)
    {
        var (v, f) = Parse(capture);
        Assert.True(FbdevMode.TryCreate(v, f, out FbdevMode mode, out string? reason), reason);
        return mode;
    }

    private static uint[] Convert(PixelLayout layout, byte[] raw, int pixels)
    {
        var dest = new byte[pixels * 4];
        new PixelLayoutConverter(layout).ConvertRow(raw, dest, pixels);
        var result = new uint[pixels];
        for (int i = 0; i < pixels; i++)
        {
            result[i] = BinaryPrimitives.ReadUInt32LittleEndian(dest.AsSpan(i * 4)) & 0xFFFFFF;
        }
        return result;
    }

    [Fact]
    public void Bochs_IsXrgb8888CopiedAsIs()
    {
        var (v, f) = Parse(FbdevCaptures.Bochs1024x768);
        Assert.Equal(("bochs-drmdrmfb", 1024u, 768u, 32u, 4096u), (f.Id, v.XRes, v.YRes, v.BitsPerPixel, f.LineLength));
        FbdevMode mode = Mode(FbdevCaptures.Bochs1024x768);
        Assert.Equal(new FbdevMode(1024, 768, 0, 4096, PixelLayout.Xrgb8888, 1024 * 768 * 4), mode);
        Assert.True(new PixelLayoutConverter(mode.Layout).IsIdentity);
        Assert.Equal([0x336699u], Convert(mode.Layout, [0x99, 0x66, 0x33, 0x00], 1));
    }

    [Fact]
    public void Rgb565_PannedToTheSecondPage_ReadsThatPage()
    {
        FbdevMode mode = Mode(FbdevCaptures.Rgb565Panned);
        Assert.Equal((800, 600, 1600), (mode.Width, mode.Height, mode.LineLength));
        Assert.Equal(600L * 1600, mode.Offset);
        Assert.Equal(PixelLayout.Rgb565, mode.Layout);
        Assert.Equal([0xFF0000u, 0x00FF00u, 0x0000FFu, 0x31659Cu], Convert(mode.Layout, [0x00, 0xF8, 0xE0, 0x07, 0x1F, 0x00, 0x33, 0x33], 4));
    }

    [Fact]
    public void Bgr_RedAtOffsetZero_IsSwapped()
    {
        FbdevMode mode = Mode(FbdevCaptures.Bgr640x480);
        Assert.Equal(PixelLayout.Xbgr8888, mode.Layout);
        // Bytes R,G,B,A in memory.
        Assert.Equal([0x112233u, 0xFF0000u], Convert(mode.Layout, [0x11, 0x22, 0x33, 0xFF, 0xFF, 0x00, 0x00, 0x00], 2));
    }

    [Fact]
    public void Vesa24_PackedThreeBytesAPixel()
    {
        FbdevMode mode = Mode(FbdevCaptures.Vesa24);
        Assert.Equal((24, 1920), (mode.Layout.BitsPerPixel, mode.LineLength));
        Assert.Equal([0x336699u, 0xABCDEFu], Convert(mode.Layout, [0x99, 0x66, 0x33, 0xEF, 0xCD, 0xAB], 2));
    }

    [Fact]
    public void Layouts_OtherBitfieldsConvertThroughTheTables()
    {
        // RGBX8888 (red in the top byte), XRGB2101010 and BGR565.
        Assert.Equal([0x123456u], Convert(new PixelLayout(32, 24, 8, 16, 8, 8, 8), [0x00, 0x56, 0x34, 0x12], 1));
        uint v1010 = 0x3FFu << 20 | 0x200u << 10 | 0x001;
        byte[] raw = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(raw, v1010);
        Assert.Equal([0xFF8000u], Convert(new PixelLayout(32, 20, 10, 10, 10, 0, 10), raw, 1));
        Assert.Equal([0x0000FFu, 0xFF0000u], Convert(new PixelLayout(16, 0, 5, 5, 6, 11, 5), [0x00, 0xF8, 0x1F, 0x00], 2));
        // Every 5-bit value scales as PixelConverter's RGB565 does (bit replication).
        var bgr = new byte[64];
        var rgb = new byte[64];
        for (int i = 0; i < 32; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bgr.AsSpan(i * 2), (ushort)(i << 11));
            BinaryPrimitives.WriteUInt16LittleEndian(rgb.AsSpan(i * 2), (ushort)i);
        }
        Assert.Equal(Convert(PixelLayout.Rgb565, rgb, 32), Convert(new PixelLayout(16, 0, 5, 5, 6, 11, 5), bgr, 32));
    }

    [Theory]
    [InlineData(24, 0x100000u, "past the")] // smem_len too small
    [InlineData(48, 100u, "line_length 100")]
    [InlineData(36, 3u, "visual 3")] // pseudocolor
    [InlineData(28, 1u, "type 1")] // planes
    public void Fix_HostileFields_AreRefused(int offset, uint value, string problem)
    {
        var (v, _) = Parse(FbdevCaptures.Bochs1024x768);
        byte[] fix = System.Convert.FromHexString(FbdevCaptures.Bochs1024x768.Fix);
        BinaryPrimitives.WriteUInt32LittleEndian(fix.AsSpan(offset), value);
        Assert.False(FbdevMode.TryCreate(v, FbFixScreenInfo.Parse(fix), out _, out string? reason));
        Assert.Contains(problem, reason, StringComparison.Ordinal);
        Assert.StartsWith("bochs-drmdrmfb: ", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(24, 8u, "8 bits per pixel")]
    [InlineData(20, 1u, "past the")] // yoffset panned beyond memory
    [InlineData(32, 28u, "do not fit")] // red.offset 28: bits 28..35 of a 32-bit pixel
    [InlineData(44, 16u, "overlap")] // green.offset onto red
    [InlineData(0, 0u, "resolution 0x768")]
    public void Var_HostileFields_AreRefused(int offset, uint value, string problem)
    {
        byte[] var = System.Convert.FromHexString(FbdevCaptures.Bochs1024x768.Var);
        BinaryPrimitives.WriteUInt32LittleEndian(var.AsSpan(offset), value);
        var (_, f) = Parse(FbdevCaptures.Bochs1024x768);
        Assert.False(FbdevMode.TryCreate(FbVarScreenInfo.Parse(var), f, out _, out string? reason));
        Assert.Contains(problem, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Source_MissingDeviceWaits_AndAFileThatIsNoFramebufferIsInvalid()
    {
        using var temp = new TempXwd("fbdev");
        using var source = new FbdevSource(temp.Path, TimeProvider.System);
        source.Poll();
        Assert.Equal(RegionStatus.Waiting, source.Status);
        Assert.Contains("does not exist", source.Reason, StringComparison.Ordinal);

        File.WriteAllBytes(temp.Path, new byte[4096]);
        Assert.True(source.Poll().HasFlag(RegionChange.Status));
        Assert.Equal(RegionStatus.Invalid, source.Status);
        Assert.StartsWith("invalid fbdev: ", source.Reason, StringComparison.Ordinal);
        Assert.Contains("framebuffer ioctls", source.Reason, StringComparison.Ordinal);
        Assert.False(source.TrySendInput(InputEvent.Key(30, true)));
    }
}
