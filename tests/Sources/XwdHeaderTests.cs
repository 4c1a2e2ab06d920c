using WebConsole.Sources.Xwd;
using WebConsole.Sources;

namespace WebConsole.Tests.Sources;

public sealed class XwdHeaderTests
{
    [Fact]
    public void Header_Depth24AsXvfbWritesIt_IsXrgb8888AfterTheColormap()
    {
        byte[] bytes = XwdFile.Depth24(640, 480).ToBytes();
        Assert.True(XwdHeader.TryParse(bytes, bytes.Length, out XwdHeader h, out string? reason, out _), reason);
        Assert.Equal((640, 480, 2560, 24), (h.Width, h.Height, h.BytesPerLine, h.Depth));
        Assert.Equal(160 + 256 * 12, h.PixelOffset);
        Assert.Equal(PixelLayout.Xrgb8888, h.Layout);
        Assert.Equal(bytes.Length, h.FileBytesNeeded);
    }

    [Fact]
    public void Header_Depth16AsXvfbWritesIt_IsRgb565()
    {
        byte[] bytes = XwdFile.Depth16(320, 240).ToBytes();
        Assert.True(XwdHeader.TryParse(bytes, bytes.Length, out XwdHeader h, out string? reason, out _), reason);
        Assert.Equal(PixelLayout.Rgb565, h.Layout);
        Assert.Equal(160 + 64 * 12, h.PixelOffset);
        Assert.Equal(640, h.BytesPerLine);
    }

    [Theory]
    [InlineData(1, 6u, "file_version is 6")]
    [InlineData(0, 50u, "header_size 50")]
    [InlineData(0, 100000u, "header_size 100000")]
    [InlineData(2, 1u, "not ZPixmap")]
    [InlineData(4, 0u, "size 0x480")]
    [InlineData(4, 70000u, "size 70000x480")]
    [InlineData(11, 8u, "bits_per_pixel 8 is not supported")]
    [InlineData(11, 24u, "bits_per_pixel 24 is not supported")]
    [InlineData(12, 2559u, "bytes_per_line 2559")]
    [InlineData(13, 3u, "visual_class 3")]
    [InlineData(7, 2u, "byte_order 2")]
    [InlineData(14, 0xFF00FFu, "visual masks")]
    [InlineData(15, 0xFF0000u, "visual masks")]
    [InlineData(19, 0xFFFFFFFFu, "ncolors 4294967295")]
    [InlineData(19, 1000u, "but the header needs")]
    [InlineData(5, 481u, "but the header needs")]
    [InlineData(3, 33u, "pixmap_depth 33")]
    public void Header_HostileField_IsRefusedWithTheFieldNamed(int field, uint value, string problem)
    {
        XwdFile file = XwdFile.Depth24(640, 480);
        byte[] good = file.ToBytes();
        file.Fields[field] = value;
        byte[] bytes = file.ToBytes();
        Assert.False(XwdHeader.TryParse(bytes, good.Length, out _, out string? reason, out bool notYetWritten));
        Assert.Contains(problem, reason, StringComparison.Ordinal);
        Assert.False(notYetWritten);
    }

    [Fact]
    public void Header_TruncatedFile_SaysHowShort()
    {
        byte[] bytes = XwdFile.Depth24(64, 64).ToBytes();
        Assert.False(XwdHeader.TryParse(bytes, bytes.Length - 1, out _, out string? reason, out _));
        Assert.Contains($"file is {bytes.Length - 1} bytes but the header needs {bytes.Length}", reason, StringComparison.Ordinal);
        Assert.False(XwdHeader.TryParse(bytes.AsSpan(0, 40), 40, out _, out reason, out _));
        Assert.Contains("shorter than the 100-byte XWD header", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_AllZeros_IsNotYetWritten()
    {
        Assert.False(XwdHeader.TryParse(new byte[100], 5000, out _, out _, out bool notYetWritten));
        Assert.True(notYetWritten);
        Assert.False(XwdHeader.TryParse([], 0, out _, out _, out notYetWritten));
        Assert.True(notYetWritten);
    }

    [Fact]
    public void Header_MsbFirstBgrVisual_GivesABigEndianLayout()
    {
        XwdFile file = XwdFile.Depth24(8, 8);
        file.Fields[7] = 1; // MSBFirst
        file.Fields[14] = 0xFF;
        file.Fields[16] = 0xFF0000;
        byte[] bytes = file.ToBytes();
        Assert.True(XwdHeader.TryParse(bytes, bytes.Length, out XwdHeader h, out string? reason, out _), reason);
        Assert.Equal(new PixelLayout(32, 0, 8, 8, 8, 16, 8, BigEndian: true), h.Layout);
    }
}
