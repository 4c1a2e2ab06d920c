using System.Diagnostics;

namespace WebConsole.Bench.X11;

/// <summary>
/// The peers benchmark's animation: a 640x360 picture panning 4 px a frame (as
/// <see cref="AnimationBenchmark"/>'s producer, a video-like load) with the frame counter in colour
/// blocks at its top-left and bottom-right corners, each frame one XPutImage then XSync, paced to
/// 60 Hz on its own thread. A late frame is not made up for: the schedule moves on.
/// </summary>
internal sealed class XAnimation : IDisposable
{
    public const int Width = AnimationBenchmark.AreaWidth;
    public const int Height = AnimationBenchmark.AreaHeight;
    public const int Block = 16;
    public const int Blocks = 4; // 3 bits each: a 12-bit counter, as PageProbe reads it

    private const int PanPerFrame = 4;

    private readonly XPainter _painter;
    private readonly XImageBuffer _frame;
    private readonly SyntheticFrame _texture;
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _published;

    public XAnimation(XPainter painter, int x, int y)
    {
        _painter = painter;
        X = x;
        Y = y;
        _frame = painter.CreateImage(Width, Height);
        // Three times the area's width: the pan wraps every 320 frames.
        _texture = SyntheticFrame.Photo(Width * 3, Height);
        _thread = new Thread(Run) { IsBackground = true, Name = "x-animation" };
    }

    public int X { get; }

    public int Y { get; }

    /// <summary>Top-left corners of the two counter strips, in screen coordinates.</summary>
    public int[][] Corners => [[X, Y], [X + Width - Block * Blocks, Y + Height - Block]];

    public long Published => Interlocked.Read(ref _published);

    public Exception? Failure { get; private set; }

    public void Start() => _thread.Start();

    public void Stop()
    {
        _stop = true;
        _thread.Join();
    }

    private void Run()
    {
        try
        {
            double period = 1000.0 / AnimationBenchmark.FramesPerSecond;
            var clock = Stopwatch.StartNew();
            long frame = 0;
            while (!_stop)
            {
                Draw((int)frame);
                _painter.Put(_frame, X, Y);
                _ = _painter.Sync();
                Interlocked.Increment(ref _published);
                frame++;
                double next = frame * period;
                double now = clock.Elapsed.TotalMilliseconds;
                if (now > next + period)
                {
                    // Behind by more than a frame: start the schedule again from now.
                    frame = (long)(now / period) + 1;
                    next = frame * period;
                }
                if (next > now)
                {
                    Thread.Sleep(TimeSpan.FromMilliseconds(next - now));
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
        Span<byte> pixels = _frame.Pixels;
        int pan = frame * PanPerFrame % (_texture.Width - Width);
        int row = Width * 4;
        for (int y = 0; y < Height; y++)
        {
            _texture.Bytes.AsSpan(y * _texture.Stride + pan * 4, row).CopyTo(pixels.Slice(y * row, row));
        }
        int counter = frame & 0xFFF;
        DrawCounter(pixels, 0, 0, counter);
        DrawCounter(pixels, Width - Block * Blocks, Height - Block, counter);
    }

    private static void DrawCounter(Span<byte> pixels, int left, int top, int counter)
    {
        for (int k = 0; k < Blocks; k++)
        {
            (byte r, byte g, byte b) = AnimationBenchmark.BlockColour(counter, k);
            for (int y = top; y < top + Block; y++)
            {
                Span<byte> line = pixels.Slice((y * Width + left + k * Block) * 4, Block * 4);
                for (int x = 0; x < line.Length; x += 4)
                {
                    line[x] = b;
                    line[x + 1] = g;
                    line[x + 2] = r;
                    line[x + 3] = 0;
                }
            }
        }
    }

    public void Dispose() => _frame.Dispose();
}
