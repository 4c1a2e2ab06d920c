using System.Diagnostics;
using WebConsole.Region;

namespace WebConsole.Bench;

/// <summary>
/// The producer of <see cref="AnimationBenchmark"/> on its own thread: every 1/60 s (an absolute
/// schedule, so sleeps do not drift) it draws the next frame of the area and publishes the area
/// as damage.
/// </summary>
internal sealed class AnimatedProducer : IDisposable
{
    private readonly BenchRegion _region;
    private readonly PixelRect _area;
    private readonly SyntheticFrame _texture;
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _published;

    public AnimatedProducer(BenchRegion region, PixelRect area, SyntheticFrame texture)
    {
        _region = region;
        _area = area;
        _texture = texture;
        _thread = new Thread(Run) { IsBackground = true, Name = "animated producer" };
    }

    /// <summary>Frames published so far.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>What stopped the producer, if anything did.</summary>
    public Exception? Failure { get; private set; }

    public void Start() => _thread.Start();

    public void Stop()
    {
        _stop = true;
        _thread.Join();
    }

    public void Dispose()
    {
        if (_thread.IsAlive)
        {
            Stop();
        }
    }

    private void Run()
    {
        try
        {
            long period = Stopwatch.Frequency / AnimationBenchmark.FramesPerSecond;
            long next = Stopwatch.GetTimestamp();
            int frame = 0;
            while (!_stop)
            {
                long wait = next - Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    // Whole milliseconds, rounded up: a shorter sleep would spin, and 1 ms of jitter is harmless here.
                    Thread.Sleep((int)Math.Ceiling(wait * 1000.0 / Stopwatch.Frequency));
                    continue;
                }
                Draw(frame++);
                Interlocked.Increment(ref _published);
                next += period;
                if (Stopwatch.GetTimestamp() - next > 2 * period)
                {
                    next = Stopwatch.GetTimestamp(); // far behind (the box is busy): drop the backlog instead of bursting
                }
            }
        }
        catch (Exception e)
        {
            Failure = e;
        }
    }

    private void Draw(int frame)
    {
        Span<byte> pixels = _region.Begin();
        int offset = AnimationBenchmark.PanOffset(frame, _texture.Width);
        for (int y = 0; y < _area.Height; y++)
        {
            _texture.Bytes.AsSpan(y * _texture.Stride + offset * 4, _area.Width * 4)
                .CopyTo(pixels.Slice((_area.Y + y) * _region.Stride + _area.X * 4));
        }
        AnimationBenchmark.DrawCounter(_region, pixels, _area, frame);
        _region.Publish(_area);
    }
}
