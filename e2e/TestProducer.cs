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

    /// <summary>Every input event drained from the region so far, oldest first.</summary>
    public List<InputEvent> Input { get; } = [];

    /// <summary>Drains the input ring until <paramref name="done"/> holds for <see cref="Input"/>; throws with what came on timeout.</summary>
    public async Task<List<InputEvent>> WaitForInputAsync(Func<List<InputEvent>, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new InputEvent[RegionFormat.InputRingSize];
        while (true)
        {
            int n = _writer.DrainInput(buffer);
            Input.AddRange(buffer.AsSpan(0, n));
            if (done(Input))
            {
                return Input;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"never got {what}; input: {string.Join(", ", Input)}");
            }
            await Task.Delay(10);
        }
    }

    /// <summary>Drains and forgets whatever input is queued.</summary>
    public void ClearInput()
    {
        var buffer = new InputEvent[RegionFormat.InputRingSize];
        while (_writer.DrainInput(buffer) > 0)
        {
        }
        Input.Clear();
    }

    /// <summary>Sets the cursor image (ARGB, straight alpha) and hotspot.</summary>
    public void SetCursor(int width, int height, int hotX, int hotY, uint[] argb) =>
        _writer.SetCursorImage(width, height, hotX, hotY, argb);

    public void MoveCursor(int x, int y, bool visible) => _writer.MoveCursor(x, y, visible);

    public void Dispose() => _writer.Dispose();
}
