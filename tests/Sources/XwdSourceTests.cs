using System.Buffers.Binary;
using Microsoft.Extensions.Logging.Abstractions;
using WebConsole.Region;
using WebConsole.Sources.Xwd;
using WebConsole.Sources;

namespace WebConsole.Tests.Sources;

public sealed class XwdSourceTests
{
    private static XwdSource Open(string path) => new(path, null, TimeProvider.System, NullLogger<XwdSource>.Instance);

    private static uint PixelAt(XwdSource s, int x, int y) =>
        BinaryPrimitives.ReadUInt32LittleEndian(s.Frame.Span[(y * s.Stride + x * 4)..]);

    [Fact]
    public void Depth24_FrameIsThePixelsAndAChangeReportsOnlyItsRows()
    {
        using var temp = new TempXwd();
        XwdFile file = XwdFile.Depth24(100, 80);
        for (int y = 0; y < 80; y++)
        {
            for (int x = 0; x < 100; x++)
            {
                file.Set24(x, y, (uint)(x * 2 << 16 | y * 3 << 8 | (x ^ y)));
            }
        }
        file.WriteTo(temp.Path);
        using XwdSource source = Open(temp.Path);

        RegionChange change = source.Poll();
        Assert.Equal(RegionStatus.Ready, source.Status);
        Assert.True(change.HasFlag(RegionChange.Pixels));
        Assert.Equal([new PixelRect(0, 0, 100, 80)], source.Damage);
        Assert.Equal((100, 80, 400), (source.Width, source.Height, source.Stride));
        Assert.Equal((uint)(20 * 2 << 16 | 30 * 3 << 8 | (20 ^ 30)), PixelAt(source, 20, 30) & 0xFFFFFF);

        Assert.False(source.Poll().HasFlag(RegionChange.Pixels));
        Assert.Empty(source.Damage);

        file.Set24(5, 40, 0xABCDEF);
        file.Set24(90, 42, 0x123456);
        file.UpdateInPlace(temp.Path);
        Assert.True(source.Poll().HasFlag(RegionChange.Pixels));
        Assert.Equal([new PixelRect(0, 40, 100, 3)], source.Damage);
        Assert.Equal(0xABCDEFu, PixelAt(source, 5, 40) & 0xFFFFFF);
        Assert.Equal(0x123456u, PixelAt(source, 90, 42) & 0xFFFFFF);
    }

    [Fact]
    public void Depth16_IsExpandedToXrgb8888()
    {
        using var temp = new TempXwd();
        XwdFile file = XwdFile.Depth16(32, 16);
        file.Set16(0, 0, 0xF800);
        file.Set16(1, 0, 0x07E0);
        file.Set16(2, 0, 0x001F);
        file.Set16(3, 0, 0x3333); // #336699 as Xvfb stores it at depth 16
        file.WriteTo(temp.Path);
        using XwdSource source = Open(temp.Path);
        source.Poll();
        Assert.Equal(RegionStatus.Ready, source.Status);
        Assert.Equal(0xFFFF0000u, PixelAt(source, 0, 0));
        Assert.Equal(0xFF00FF00u, PixelAt(source, 1, 0));
        Assert.Equal(0xFF0000FFu, PixelAt(source, 2, 0));
        Assert.Equal(0xFF31659Cu, PixelAt(source, 3, 0));
    }

    [Fact]
    public void MissingFile_IsWaitingThenReadyWhenItAppears()
    {
        using var temp = new TempXwd();
        using XwdSource source = Open(temp.Path);
        Assert.True(source.Poll().HasFlag(RegionChange.Status));
        Assert.Equal(RegionStatus.Waiting, source.Status);
        Assert.Contains("does not exist", source.Reason, StringComparison.Ordinal);

        XwdFile.Depth24(16, 16).WriteTo(temp.Path);
        RegionChange change = source.Poll();
        Assert.Equal(RegionStatus.Ready, source.Status);
        Assert.True(change.HasFlag(RegionChange.Status | RegionChange.Pixels));
    }

    [Fact]
    public void TruncatedFile_IsInvalidWithAReasonAndRecovers()
    {
        using var temp = new TempXwd();
        XwdFile file = XwdFile.Depth24(64, 64);
        file.WriteTo(temp.Path);
        using XwdSource source = Open(temp.Path);
        source.Poll();
        Assert.Equal(RegionStatus.Ready, source.Status);

        using (var stream = new FileStream(temp.Path, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(stream.Length / 2);
        }
        source.Poll();
        Assert.Equal(RegionStatus.Invalid, source.Status);
        Assert.StartsWith("invalid xwd: file is", source.Reason, StringComparison.Ordinal);
        Assert.Contains("but the header needs", source.Reason, StringComparison.Ordinal);

        file.Set24(1, 1, 0xFF00FF);
        using (var stream = new FileStream(temp.Path, FileMode.Open, FileAccess.Write))
        {
            stream.Write(file.ToBytes());
        }
        source.Poll();
        Assert.Equal(RegionStatus.Ready, source.Status);
        Assert.Equal(0xFF00FFu, PixelAt(source, 1, 1) & 0xFFFFFF);
    }

    [Fact]
    public void ReplacedFile_IsARestartWithTheNewSize()
    {
        using var temp = new TempXwd();
        XwdFile.Depth24(64, 48).WriteTo(temp.Path);
        using XwdSource source = Open(temp.Path);
        source.Poll();

        XwdFile second = XwdFile.Depth16(80, 60);
        second.Set16(79, 59, 0xFFFF);
        second.WriteTo(temp.Path);
        RegionChange change = source.Poll();
        Assert.True(change.HasFlag(RegionChange.Restart), change.ToString());
        Assert.Equal((80, 60), (source.Width, source.Height));
        Assert.Equal([new PixelRect(0, 0, 80, 60)], source.Damage);
        Assert.Equal(0xFFFFFFFFu, PixelAt(source, 79, 59));

        File.Delete(temp.Path);
        source.Poll();
        Assert.Equal(RegionStatus.Waiting, source.Status);
        Assert.Equal(0, source.Width);
    }

    [Fact]
    public void HostileFiles_NeverThrowOutOfPoll()
    {
        using var temp = new TempXwd();
        using XwdSource source = Open(temp.Path);
        var random = new Random(1234);
        byte[] good = XwdFile.Depth24(32, 32).ToBytes();
        for (int i = 0; i < 400; i++)
        {
            byte[] bytes = (byte[])good.Clone();
            // Damage a few header bytes and sometimes the length.
            for (int k = 0; k < 1 + i % 6; k++)
            {
                bytes[random.Next(100)] = (byte)random.Next(256);
            }
            int length = i % 3 == 0 ? random.Next(bytes.Length) : bytes.Length;
            File.WriteAllBytes(temp.Path, bytes.AsSpan(0, length).ToArray());
            source.Poll();
            Assert.True(source.Status == RegionStatus.Ready || source.Reason is not null);
            if (source.Status == RegionStatus.Ready)
            {
                Assert.Equal(source.Width * source.Height * 4, source.Frame.Length);
            }
        }
    }

    [Fact]
    public void InputWithoutDisplay_IsDropped()
    {
        using var temp = new TempXwd();
        using XwdSource source = Open(temp.Path);
        Assert.False(source.TrySendInput(InputEvent.Key(30, true)));
    }

    [Fact]
    public void Pacer_PollsAt60HzAfterActivityAnd10HzWhenIdle()
    {
        var time = new Demo.ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var pacer = new PollPacer(time);
        Assert.Equal(TimeSpan.Zero, pacer.NextDelay());
        pacer.Polled();
        Assert.Equal(PollPacer.IdleInterval, pacer.NextDelay());
        pacer.Activity();
        Assert.Equal(PollPacer.ActiveInterval, pacer.NextDelay());
        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(PollPacer.ActiveInterval - TimeSpan.FromMilliseconds(10), pacer.NextDelay());
        time.Advance(TimeSpan.FromSeconds(3));
        pacer.Polled();
        Assert.Equal(PollPacer.IdleInterval, pacer.NextDelay());
    }
}
