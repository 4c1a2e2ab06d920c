using System.Diagnostics;
using WebConsole.Region;

namespace WebConsole.Demo;

/// <summary>
/// Writes a live demo region: creates the file, then renders <see cref="DemoScene"/> frames
/// either at a fixed rate (publishing only when something changed) or whenever the consumer
/// requests one, drains the input ring and moves the cursor plane to the pointer.
/// A plain class with no console output, so the server can host it as a background service.
/// </summary>
public sealed class DemoProducer
{
    // How long one wait may block before the loop looks at cancellation again.
    private static readonly TimeSpan WaitSlice = TimeSpan.FromMilliseconds(50);

    private readonly TimeProvider _time;
    private readonly InputEvent[] _input = new InputEvent[RegionFormat.InputRingSize];

    /// <summary>A producer for <paramref name="options"/>; the scene's clock reads <paramref name="timeProvider"/>.</summary>
    /// <exception cref="ArgumentException">The options describe no usable region.</exception>
    public DemoProducer(DemoProducerOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (string.IsNullOrEmpty(options.Path) || options.Width is < 1 or > RegionFormat.MaxDimension ||
            options.Height is < 1 or > RegionFormat.MaxDimension || options.BufferCount is < 1 or > RegionFormat.MaxBuffers ||
            options.FramesPerSecond is < 1 or > 1000)
        {
            throw new ArgumentException($"invalid demo producer options {options}", nameof(options));
        }
        Options = options;
        _time = timeProvider;
    }

    /// <summary>The options this producer runs with.</summary>
    public DemoProducerOptions Options { get; }

    /// <summary>
    /// Creates the region and produces frames on a dedicated thread until
    /// <paramref name="cancellationToken"/> is cancelled; the task then completes normally
    /// (deleting the file when <see cref="DemoProducerOptions.DeleteOnStop"/>). It faults when
    /// the region cannot be created.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        // A render loop that blocks in futex waits must not occupy a thread-pool thread.
        Task.Factory.StartNew(() => Run(cancellationToken), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken cancellationToken)
    {
        var writer = RegionWriter.Create(Options.Path, new RegionWriterOptions
        {
            Width = Options.Width,
            Height = Options.Height,
            BufferCount = Options.BufferCount,
            Requested = Options.Requested,
        });
        try
        {
            var scene = new DemoScene(Options, _time);
            writer.SetCursorImage(ArrowCursor.Width, ArrowCursor.Height, ArrowCursor.HotX, ArrowCursor.HotY, ArrowCursor.CreateImage());
            writer.MoveCursor(0, 0, visible: false); // shown once a pointer event says where
            if (Options.Requested)
            {
                RunRequested(writer, scene, cancellationToken);
            }
            else
            {
                RunFreely(writer, scene, cancellationToken);
            }
        }
        finally
        {
            writer.Dispose();
            if (Options.DeleteOnStop)
            {
                File.Delete(Options.Path);
            }
        }
    }

    private void RunRequested(RegionWriter writer, DemoScene scene, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            ApplyInput(writer, scene);
            if (!writer.WaitForRequest(WaitSlice))
            {
                continue;
            }
            ApplyInput(writer, scene); // events queued just before the request belong in its frame
            if (scene.Update() && !TryPublish(writer, scene, cancellationToken))
            {
                return;
            }
            writer.Complete(); // also when nothing changed: the consumer's copy is current
        }
    }

    private void RunFreely(RegionWriter writer, DemoScene scene, CancellationToken cancellationToken)
    {
        // Pacing uses the monotonic clock, not the injected TimeProvider: a test's frozen clock
        // must freeze the picture, not stop the loop.
        long period = Stopwatch.Frequency / Options.FramesPerSecond;
        long next = Stopwatch.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            ApplyInput(writer, scene);
            if (scene.Update() && !TryPublish(writer, scene, cancellationToken))
            {
                return;
            }
            long now = Stopwatch.GetTimestamp();
            next = Math.Max(next + period, now); // after a stall, do not race to catch up
            while (now < next && !cancellationToken.IsCancellationRequested)
            {
                // Input wakes the wait early so the cursor plane follows the pointer between frames.
                writer.WaitForInput(Min(Stopwatch.GetElapsedTime(now, next), WaitSlice));
                ApplyInput(writer, scene);
                now = Stopwatch.GetTimestamp();
            }
        }
    }

    private static bool TryPublish(RegionWriter writer, DemoScene scene, CancellationToken cancellationToken)
    {
        Span<byte> pixels;
        while (!writer.TryBeginFrame(out pixels))
        {
            // The consumer is copying from the other buffer; it lets go within a copy's time.
            if (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            writer.WaitForFreeBuffer(WaitSlice);
        }
        writer.Publish(scene.Render(pixels, writer.Stride));
        return true;
    }

    private void ApplyInput(RegionWriter writer, DemoScene scene)
    {
        int count = writer.DrainInput(_input);
        bool moved = false;
        int x = 0, y = 0;
        for (int i = 0; i < count; i++)
        {
            scene.HandleInput(_input[i]);
            if (_input[i].Type == InputEventType.Pointer)
            {
                moved = true;
                x = _input[i].X;
                y = _input[i].Y;
            }
        }
        if (moved)
        {
            writer.MoveCursor(x, y, visible: true);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
