using System.Diagnostics;
using WebConsole.Region;

namespace WebConsole.Bench;

/// <summary>
/// Many quiet producers on one thread: every 1 / <c>rate</c> s (an absolute schedule) each of the
/// regions gets one 64x64 square in a new colour, moving along a row, published as that square's
/// damage. What a shell or an editor on a VM's screen changes, at a modest rate.
/// </summary>
internal sealed class ChangingProducers : IDisposable
{
    private const int Square = 64;

    private readonly IReadOnlyList<BenchRegion> _regions;
    private readonly double _rate;
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _published;

    public ChangingProducers(IReadOnlyList<BenchRegion> regions, double rate)
    {
        _regions = regions;
        _rate = rate;
        _thread = new Thread(Run) { IsBackground = true, Name = "changing producers" };
    }

    /// <summary>Frames published so far, over all regions.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>What stopped the producers, if anything did.</summary>
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
            var clock = Stopwatch.StartNew();
            double periodMs = 1000 / _rate;
            for (long tick = 0; !_stop; tick++)
            {
                foreach (BenchRegion region in _regions)
                {
                    int columns = region.Width / Square;
                    var rect = new PixelRect((int)(tick % columns) * Square, region.Height / 2, Square, Square);
                    Span<byte> pixels = region.Begin();
                    region.Fill(pixels, rect, (byte)(tick * 37), (byte)(tick * 91), (byte)(tick * 53));
                    region.Publish(rect);
                    Interlocked.Increment(ref _published);
                }
                double wait = (tick + 1) * periodMs - clock.Elapsed.TotalMilliseconds;
                if (wait > 0)
                {
                    Thread.Sleep(TimeSpan.FromMilliseconds(wait));
                }
            }
        }
        catch (Exception e)
        {
            Failure = e;
        }
    }
}
