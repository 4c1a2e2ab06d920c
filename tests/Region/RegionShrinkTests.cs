using WebConsole.Region;

namespace WebConsole.Tests.Region;

/// <summary>
/// A region file that shrinks, is replaced or deleted under the reader must never crash the
/// process: reading a mapping past the end of a file raises SIGBUS, which kills .NET.
/// </summary>
public sealed class RegionShrinkTests
{
    private static void MakeRegion(string path, int width, int height, byte fill)
    {
        using var writer = RegionWriter.Create(path, new RegionWriterOptions { Width = width, Height = height });
        writer.TryBeginFrame(out Span<byte> pixels);
        pixels.Fill(fill);
        writer.PublishFull();
        writer.SetCursorImage(2, 2, 0, 0, [1u, 2u, 3u, 4u]);
    }

    [Fact]
    public void Reader_SurvivesTheFileShrinkingUnderIt()
    {
        using var temp = new TempRegion();
        MakeRegion(temp.Path, 640, 480, 7);
        using var reader = new RegionReader(temp.Path);
        Assert.Equal(RegionStatus.Ready, Poll(reader));

        // Same inode, cut to less than its metadata, then to nothing.
        using (var file = new FileStream(temp.Path, FileMode.Open, FileAccess.ReadWrite))
        {
            file.SetLength(4096);
        }
        Assert.Equal(RegionStatus.Invalid, Poll(reader));
        Assert.Contains("smaller than the smallest region", reader.Reason, StringComparison.Ordinal);
        Assert.False(reader.WaitForChange(TimeSpan.FromMilliseconds(10)));
        Assert.False(reader.RequestUpdate() && reader.WaitForCompletion(TimeSpan.FromMilliseconds(10)));
        Assert.False(reader.TrySendInput(InputEvent.Key(30, true)));

        using (var file = new FileStream(temp.Path, FileMode.Open, FileAccess.ReadWrite))
        {
            file.SetLength(0);
        }
        Assert.Equal(RegionStatus.Invalid, Poll(reader));

        // The producer comes back: the reader recovers without help.
        MakeRegion(temp.Path, 320, 200, 9);
        Assert.Equal(RegionStatus.Ready, Poll(reader));
        Assert.Equal((320, 200), (reader.FrameWidth, reader.FrameHeight));
        Assert.True(reader.Frame.IndexOfAnyExcept((byte)9) < 0);
    }

    [Fact]
    public async Task Reader_SurvivesShrinkingWhileItCopiesPixels()
    {
        // Race a truncating thread against polls that copy whole frames; any SIGBUS kills the run.
        using var temp = new TempRegion();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
        MakeRegion(temp.Path, 1024, 768, 3);
        long fullSize = new FileInfo(temp.Path).Length;
        var shrinker = Background.Run(() =>
        {
            var random = new Random(42);
            while (!stop.IsCancellationRequested)
            {
                using var file = new FileStream(temp.Path, FileMode.Open, FileAccess.ReadWrite);
                file.SetLength(random.Next(0, (int)fullSize / 4096) * 4096L);
                Thread.SpinWait(random.Next(1, 5000));
                file.SetLength(fullSize);
            }
        });
        using var reader = new RegionReader(temp.Path);
        int polls = 0, invalid = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                // Restoring the size leaves zeroed metadata: the reader sees a region not yet initialised.
                reader.Poll();
                reader.RequestUpdate();
                reader.WaitForChange(TimeSpan.FromMilliseconds(1));
                polls++;
                if (reader.Status != RegionStatus.Ready)
                {
                    invalid++;
                    Assert.NotNull(reader.Reason);
                }
            }
        }
        finally
        {
            stop.Cancel();
            await shrinker.WaitAsync(TimeSpan.FromSeconds(5));
        }
        Assert.True(polls > 50 && invalid > 0, $"{polls} polls, {invalid} not ready");
    }

    [Fact]
    public void Reader_ReopensAReplacedFile_AndWaitsWhenItIsDeleted()
    {
        using var temp = new TempRegion();
        MakeRegion(temp.Path, 64, 64, 1);
        using var reader = new RegionReader(temp.Path);
        Assert.Equal(RegionStatus.Ready, Poll(reader));

        File.Delete(temp.Path);
        Assert.Equal(RegionStatus.Waiting, Poll(reader));
        Assert.Contains("does not exist", reader.Reason, StringComparison.Ordinal);

        // Something that is not a region appears at the path.
        File.WriteAllBytes(temp.Path, new byte[RegionFormat.MinFileSize]);
        Assert.Equal(RegionStatus.Waiting, Poll(reader));
        Assert.Contains("not initialised", reader.Reason, StringComparison.Ordinal);
        File.WriteAllBytes(temp.Path, [1, 2, 3]);
        Assert.Equal(RegionStatus.Invalid, Poll(reader));

        MakeRegion(temp.Path, 64, 64, 5);
        Assert.Equal(RegionStatus.Ready, Poll(reader));
        Assert.True(reader.Frame.IndexOfAnyExcept((byte)5) < 0);
    }

    [Fact]
    public void Reader_ReportsATinyFileBySize_OnEveryPoll()
    {
        using var temp = new TempRegion();
        File.WriteAllBytes(temp.Path, [7]);
        using var reader = new RegionReader(temp.Path);
        string expected = $"invalid region: file is 1 bytes, smaller than the smallest region ({RegionFormat.MinFileSize} bytes)";
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(RegionStatus.Invalid, Poll(reader));
            Assert.Equal(expected, reader.Reason);
        }
    }

    private static RegionStatus Poll(RegionReader reader)
    {
        reader.Poll();
        return reader.Status;
    }
}
