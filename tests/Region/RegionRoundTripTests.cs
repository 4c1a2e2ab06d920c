using System.Buffers.Binary;
using WebConsole.Region;

namespace WebConsole.Tests.Region;

public sealed class RegionRoundTripTests
{
    private static uint Pattern(int x, int y, uint salt) => 0xFF000000u | (uint)((x * 7 + y * 13 + (int)salt) & 0xFFFFFF);

    private static void Fill(Span<byte> pixels, int width, int height, int stride, PixelRect area, uint salt)
    {
        for (int y = area.Y; y < area.Bottom; y++)
        {
            for (int x = area.X; x < area.Right; x++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(pixels[(y * stride + x * 4)..], Pattern(x, y, salt));
            }
        }
    }

    private static uint FramePixel(RegionReader reader, int x, int y) =>
        BinaryPrimitives.ReadUInt32LittleEndian(reader.Frame[(y * reader.FrameStride + x * 4)..]);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Reader_SeesExactlyThePixelsAndDamageTheWriterPublished(int buffers)
    {
        using var temp = new TempRegion();
        using var writer = RegionWriter.Create(temp.Path, new RegionWriterOptions { Width = 97, Height = 61, BufferCount = buffers });
        Assert.True(writer.TryBeginFrame(out Span<byte> pixels));
        Fill(pixels, 97, 61, writer.Stride, new PixelRect(0, 0, 97, 61), 0);
        writer.PublishFull();

        using var reader = new RegionReader(temp.Path);
        RegionChange first = reader.Poll();
        Assert.Equal(RegionStatus.Ready, reader.Status);
        Assert.True(first.HasFlag(RegionChange.Pixels));
        Assert.Equal([new PixelRect(0, 0, 97, 61)], reader.Damage);
        for (int y = 0; y < 61; y++)
        {
            for (int x = 0; x < 97; x++)
            {
                Assert.Equal(Pattern(x, y, 0), FramePixel(reader, x, y));
            }
        }

        // Two frames with their own damage; the reader unions both.
        var a = new PixelRect(5, 6, 10, 3);
        var b = new PixelRect(60, 40, 7, 20);
        Assert.True(writer.TryBeginFrame(out pixels));
        Fill(pixels, 97, 61, writer.Stride, a, 1);
        writer.Publish([a]);
        Assert.True(writer.TryBeginFrame(out pixels));
        Fill(pixels, 97, 61, writer.Stride, b, 2);
        writer.Publish([b]);

        Assert.Equal(RegionChange.Pixels, reader.Poll());
        Assert.Equal([a, b], reader.Damage);
        for (int y = 0; y < 61; y++)
        {
            for (int x = 0; x < 97; x++)
            {
                uint salt = x >= b.X && x < b.Right && y >= b.Y && y < b.Bottom ? 2u
                    : x >= a.X && x < a.Right && y >= a.Y && y < a.Bottom ? 1u : 0u;
                Assert.Equal(Pattern(x, y, salt), FramePixel(reader, x, y));
            }
        }

        // A static screen: nothing to do.
        Assert.Equal(RegionChange.None, reader.Poll());
        Assert.Empty(reader.Damage);
    }

    [Fact]
    public void Reader_SeesCursorPlaneAndItsImage()
    {
        using var temp = new TempRegion();
        using var writer = RegionWriter.Create(temp.Path, new RegionWriterOptions { Width = 64, Height = 64 });
        uint[] image = new uint[5 * 3];
        for (int i = 0; i < image.Length; i++)
        {
            image[i] = 0x80000000u | (uint)i * 0x010203u;
        }
        writer.SetCursorImage(5, 3, 4, 2, image);
        writer.MoveCursor(-3, 70, visible: true);

        using var reader = new RegionReader(temp.Path);
        RegionChange change = reader.Poll();
        Assert.True(change.HasFlag(RegionChange.CursorImage));
        Assert.Equal(new CursorState(-3, 70, 4, 2, 5, 3, true, 1), reader.Cursor);
        for (int y = 0; y < 3; y++)
        {
            for (int x = 0; x < RegionFormat.CursorMax; x++)
            {
                uint expected = x < 5 ? image[y * 5 + x] : 0u;
                Assert.Equal(expected, BinaryPrimitives.ReadUInt32LittleEndian(reader.CursorImage[(y * 256 + x * 4)..]));
            }
        }

        writer.MoveCursor(10, 11, visible: false);
        Assert.Equal(RegionChange.Cursor, reader.Poll());
        Assert.False(reader.Cursor.Visible);
    }

    [Fact]
    public void Reader_ConvertsEveryAcceptedFormatToXrgb()
    {
        // One pixel of pure-ish colour in each format; expected XRGB8888 after conversion.
        (PixelFormat Format, byte[] Bytes, uint Expected)[] cases =
        [
            (PixelFormat.Xrgb8888, [0x30, 0x20, 0x10, 0x00], 0x00102030),
            (PixelFormat.Argb8888, [0x30, 0x20, 0x10, 0x80], 0x80102030),
            (PixelFormat.Xbgr8888, [0x10, 0x20, 0x30, 0x00], 0x00102030), // bytes R,G,B,X,
            (PixelFormat.Abgr8888, [0x10, 0x20, 0x30, 0x80], 0x80102030),
            (PixelFormat.Rgb565, [0x1F, 0xF8], 0xFFFF00FF), // r=31 g=0 b=31 -> magenta
            (PixelFormat.Rgb565, [0xE0, 0x07], 0xFF00FF00), // g=63 -> green
        ];
        foreach (var (format, bytes, expected) in cases)
        {
            using var temp = new TempRegion();
            using var writer = RegionWriter.Create(temp.Path, new RegionWriterOptions { Width = 3, Height = 2, Format = format, BufferCount = 1 });
            Assert.True(writer.TryBeginFrame(out Span<byte> pixels));
            bytes.CopyTo(pixels[(writer.Stride + bytes.Length)..]); // pixel (1,1)
            writer.PublishFull();
            using var reader = new RegionReader(temp.Path);
            reader.Poll();
            Assert.Equal(RegionStatus.Ready, reader.Status);
            Assert.Equal(format, reader.Header.Format);
            Assert.Equal(expected, FramePixel(reader, 1, 1));
        }
    }

    [Fact]
    public async Task RequestedProducer_AnswersRequestsAndReaderSeesNothingChanged()
    {
        using var temp = new TempRegion();
        using var writer = RegionWriter.Create(temp.Path, new RegionWriterOptions { Width = 16, Height = 16, Requested = true });
        using var reader = new RegionReader(temp.Path);
        reader.Poll();
        Assert.True(reader.Header.Requested);
        Assert.False(writer.WaitForRequest(TimeSpan.FromMilliseconds(1)));

        var producer = Background.Run(() =>
        {
            for (int served = 0; served < 2;)
            {
                if (!writer.WaitForRequest(TimeSpan.FromSeconds(5)))
                {
                    throw new TimeoutException("no request arrived");
                }
                if (served == 0 && writer.TryBeginFrame(out Span<byte> pixels))
                {
                    pixels[0] = 0xAB;
                    writer.Publish([new PixelRect(0, 0, 1, 1)]);
                }
                writer.Complete();
                served++;
            }
        });

        Assert.True(reader.RequestUpdate());
        Assert.True(reader.WaitForCompletion(TimeSpan.FromSeconds(5)));
        Assert.Equal(RegionChange.Pixels, reader.Poll());
        Assert.Equal(0xAB, reader.Frame[0]);

        Assert.True(reader.RequestUpdate());
        Assert.True(reader.WaitForCompletion(TimeSpan.FromSeconds(5)));
        Assert.Equal(RegionChange.None, reader.Poll());
        await producer.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void WaitForChange_WakesOnPublishAndTimesOutOnStaticScreen()
    {
        using var temp = new TempRegion();
        using var writer = RegionWriter.Create(temp.Path, new RegionWriterOptions { Width = 16, Height = 16 });
        using var reader = new RegionReader(temp.Path);
        reader.Poll();
        Assert.False(reader.WaitForChange(TimeSpan.FromMilliseconds(20)));
        using var publisher = new Timer(_ =>
        {
            writer.TryBeginFrame(out Span<byte> _);
            writer.PublishFull();
        }, null, 50, Timeout.Infinite);
        Assert.True(reader.WaitForChange(TimeSpan.FromSeconds(5)));
        Assert.Equal(RegionChange.Pixels, reader.Poll());
    }

    [Fact]
    public void InputEvents_ReachTheProducerInOrder_AndAFullRingRefusesMore()
    {
        using var temp = new TempRegion();
        using var writer = RegionWriter.Create(temp.Path, new RegionWriterOptions { Width = 16, Height = 16 });
        using var reader = new RegionReader(temp.Path);
        reader.Poll();
        InputEvent[] sent = [InputEvent.Key(30, true), InputEvent.Key(30, false), InputEvent.Pointer(3, 4, InputEvent.ButtonRight), InputEvent.Wheel(0, -120)];
        foreach (InputEvent e in sent)
        {
            Assert.True(reader.TrySendInput(e));
        }
        Assert.True(writer.WaitForInput(TimeSpan.FromSeconds(1)));
        var got = new InputEvent[16];
        Assert.Equal(sent, got.AsSpan(0, writer.DrainInput(got)).ToArray());

        for (int i = 0; i < RegionFormat.InputRingSize; i++)
        {
            Assert.True(reader.TrySendInput(InputEvent.Pointer(i, i, 0)));
        }
        Assert.False(reader.TrySendInput(InputEvent.Pointer(0, 0, 0)));
        var all = new InputEvent[RegionFormat.InputRingSize + 8];
        Assert.Equal(RegionFormat.InputRingSize, writer.DrainInput(all));
        Assert.Equal(InputEvent.Pointer(255, 255, 0), all[255]);
        Assert.True(reader.TrySendInput(InputEvent.Pointer(0, 0, 0)));
    }
}
