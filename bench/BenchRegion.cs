using WebConsole.Region;

namespace WebConsole.Bench;

/// <summary>
/// A producer played by a benchmark: a double-buffered XRGB8888 <see cref="RegionWriter"/> on a
/// unique path under /dev/shm, deleted on dispose. Not thread-safe, like the writer.
/// </summary>
internal sealed class BenchRegion : IDisposable
{
    private static readonly TimeSpan s_bufferTimeout = TimeSpan.FromSeconds(5);

    private readonly RegionWriter _writer;

    public BenchRegion(string name, int width, int height)
    {
        Path = $"/dev/shm/webconsole-bench-{name}-{Environment.ProcessId}.fb";
        Width = width;
        Height = height;
        _writer = RegionWriter.Create(Path, new RegionWriterOptions { Width = width, Height = height, BufferCount = 2 });
    }

    public string Path { get; }

    public int Width { get; }

    public int Height { get; }

    public int Stride => _writer.Stride;

    /// <summary>Times <see cref="Begin"/> found both buffers taken and had to wait for the server.</summary>
    public int BufferWaits { get; private set; }

    /// <summary>
    /// A back buffer holding the current picture, to draw the next frame in. Waits while the
    /// server still reads the other buffer (both are taken only while it copies or encodes).
    /// </summary>
    public Span<byte> Begin()
    {
        DateTime deadline = DateTime.UtcNow + s_bufferTimeout;
        Span<byte> pixels;
        while (!_writer.TryBeginFrame(out pixels))
        {
            BufferWaits++;
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("no free region buffer within 5 s: the server holds a buffer");
            }
            _writer.WaitForFreeBuffer(TimeSpan.FromMilliseconds(5));
        }
        return pixels;
    }

    /// <summary>Publishes the frame begun last with <paramref name="damage"/> (none: the whole frame).</summary>
    public void Publish(params ReadOnlySpan<PixelRect> damage) => _writer.Publish(damage);

    /// <summary>Copies a whole frame of the same size (rows of Width * 4 bytes) into <paramref name="pixels"/>.</summary>
    public void CopyFrame(ReadOnlySpan<byte> frame, Span<byte> pixels)
    {
        int rowBytes = Width * 4;
        if (Stride == rowBytes)
        {
            frame[..(rowBytes * Height)].CopyTo(pixels);
            return;
        }
        for (int y = 0; y < Height; y++)
        {
            frame.Slice(y * rowBytes, rowBytes).CopyTo(pixels.Slice(y * Stride, rowBytes));
        }
    }

    /// <summary>Fills <paramref name="rect"/> with one colour.</summary>
    public void Fill(Span<byte> pixels, PixelRect rect, byte r, byte g, byte b)
    {
        for (int y = rect.Y; y < rect.Bottom; y++)
        {
            Span<byte> row = pixels.Slice(y * Stride + rect.X * 4, rect.Width * 4);
            for (int x = 0; x < row.Length; x += 4)
            {
                row[x] = b;
                row[x + 1] = g;
                row[x + 2] = r;
                row[x + 3] = 0xFF;
            }
        }
    }

    public void Dispose()
    {
        _writer.Dispose();
        foreach (string file in Directory.GetFiles("/dev/shm", System.IO.Path.GetFileName(Path) + "*"))
        {
            File.Delete(file);
        }
    }
}
