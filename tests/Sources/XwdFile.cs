using System.Buffers.Binary;

namespace WebConsole.Tests.Sources;

/// <summary>Builds XWD files as Xvfb -fbdir writes them (header, name, colormap, pixels), with any field overridable.</summary>
internal sealed class XwdFile
{
    public const int ColorCount24 = 256;

    public uint[] Fields { get; } = new uint[25];

    public byte[] Pixels { get; set; } = [];

    /// <summary>The header Xvfb writes for <c>-screen 0 WxHx24</c> (bits_per_pixel 32, LSBFirst, 256 colours).</summary>
    public static XwdFile Depth24(int width, int height)
    {
        var f = new XwdFile();
        f.Set(160, 7, 2, 24, (uint)width, (uint)height, 0, 0, 32, 0, 32, 32, (uint)width * 4, 4,
            0xFF0000, 0xFF00, 0xFF, 8, 256, ColorCount24, (uint)width, (uint)height, 0, 0, 0);
        f.Pixels = new byte[width * 4 * height];
        return f;
    }

    /// <summary>The header Xvfb writes for <c>-screen 0 WxHx16</c> (RGB565, 64 colours).</summary>
    public static XwdFile Depth16(int width, int height)
    {
        var f = new XwdFile();
        f.Set(160, 7, 2, 16, (uint)width, (uint)height, 0, 0, 32, 0, 32, 16, (uint)width * 2, 4,
            0xF800, 0x7E0, 0x1F, 8, 64, 64, (uint)width, (uint)height, 0, 0, 0);
        f.Pixels = new byte[width * 2 * height];
        return f;
    }

    public int HeaderSize => (int)Fields[0];

    public int BytesPerLine => (int)Fields[12];

    public int PixelOffset => HeaderSize + (int)Fields[19] * 12;

    public void Set(params uint[] fields) => fields.CopyTo(Fields, 0);

    public byte[] ToBytes()
    {
        int colors = (int)Math.Min(Fields[19], 70000);
        var bytes = new byte[Math.Max(100, (int)Math.Min(Fields[0], 4096)) + colors * 12 + Pixels.Length];
        for (int i = 0; i < 25; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(i * 4), Fields[i]);
        }
        "Xvfb test:0.0"u8.CopyTo(bytes.AsSpan(100));
        Pixels.CopyTo(bytes, bytes.Length - Pixels.Length);
        return bytes;
    }

    /// <summary>Sets pixel (x, y) of a depth 24 file to 0xRRGGBB.</summary>
    public void Set24(int x, int y, uint rgb) => BinaryPrimitives.WriteUInt32LittleEndian(Pixels.AsSpan(y * BytesPerLine + x * 4), rgb);

    public void Set16(int x, int y, ushort rgb565) => BinaryPrimitives.WriteUInt16LittleEndian(Pixels.AsSpan(y * BytesPerLine + x * 2), rgb565);

    /// <summary>Writes the file as a producer replacing it would: a new file renamed over the old one.</summary>
    public void WriteTo(string path)
    {
        string temp = path + ".tmp";
        File.WriteAllBytes(temp, ToBytes());
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Rewrites the pixels in place (same inode), as Xvfb draws.</summary>
    public void UpdateInPlace(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.Position = PixelOffset;
        file.Write(Pixels);
    }
}
