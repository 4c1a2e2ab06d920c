using WebConsole.Region;

namespace WebConsole.E2E;

/// <summary>A producer played by the test: a <see cref="RegionWriter"/> fed from <see cref="TestImage"/>s.</summary>
internal sealed class TestProducer : IDisposable
{
    private static readonly TimeSpan s_bufferTimeout = TimeSpan.FromSeconds(5);

    private readonly RegionWriter _writer;

    public TestProducer(string path, int width, int height)
    {
        _writer = RegionWriter.Create(path, new RegionWriterOptions { Width = width, Height = height, BufferCount = 2 });
    }

    /// <summary>Publishes <paramref name="damage"/> of <paramref name="image"/>; no damage means the whole frame.</summary>
    public void Publish(TestImage image, params PixelRect[] damage)
    {
        Span<byte> pixels;
        var deadline = DateTime.UtcNow + s_bufferTimeout;
        while (!_writer.TryBeginFrame(out pixels))
        {
            // Both buffers taken: the consumer holds one while it reads; it lets go soon.
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("no free region buffer within 5 s");
            }
            _writer.WaitForFreeBuffer(TimeSpan.FromMilliseconds(50));
        }
        if (damage.Length == 0)
        {
            image.CopyTo(pixels, _writer.Stride, new PixelRect(0, 0, image.Width, image.Height));
            _writer.PublishFull();
            return;
        }
        foreach (PixelRect r in damage)
        {
            image.CopyTo(pixels, _writer.Stride, r);
        }
        _writer.Publish(damage);
    }

    public void Dispose() => _writer.Dispose();
}
