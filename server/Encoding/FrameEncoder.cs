using System.Runtime.ExceptionServices;
using WebConsole.Region;

namespace WebConsole.Encoding;

/// <summary>
/// Encodes the changed rectangles of a frame, spread over a fixed set of worker threads. Each
/// rectangle is first cut into parts of one kind (<see cref="TileSplitter"/>), so a rectangle
/// holding text beside a photo is sent as PNG beside JPEG rather than as one blurry JPEG.
/// </summary>
/// <remarks>
/// <para>
/// The calling thread works too, helped by up to <see cref="WorkerCount"/> - 1 background threads
/// that are started on the first update big enough to need them and then sleep between updates.
/// Each thread owns a <see cref="RectEncoder"/> (and so its own TurboJPEG handle and Skia
/// objects). An update runs in two phases on the same wake-up: the threads classify the tiles,
/// one tile row at a time, then the last one to finish merges the tiles into parts while the
/// others wait, then all of them encode the parts. In both phases threads take the next index from
/// a shared counter, so a costly JPEG part does not hold up a queue of cheap solid ones; every
/// result goes to its own slot, which keeps the output in order without sorting.
/// </para>
/// <para>
/// Small updates stay on the calling thread: a helper is woken only for each
/// <see cref="MinPixelsPerWorker"/> pixels of work, because waking a thread costs tens of
/// microseconds, about what encoding a 64x64 tile does.
/// </para>
/// <para>
/// Once the threads are started and the buffers have grown to their working size,
/// <see cref="Encode"/> allocates nothing beyond the pooled payload buffers. Not thread-safe: one
/// capture loop calls it.
/// </para>
/// </remarks>
public sealed partial class FrameEncoder : IDisposable
{
    /// <summary>JPEG quality when none is configured.</summary>
    public const int DefaultJpegQuality = 80;

    /// <summary>Pixels of work that justify waking one more thread (four 64x64 tiles).</summary>
    public const int MinPixelsPerWorker = 4 * 64 * 64;

    private readonly RectEncoder[] _encoders;
    private readonly Thread[] _helpers;
    private readonly TileSplitter _splitter = new();
    // No spinning before blocking: an update's parts take far longer than a spin would save.
    private readonly Semaphore _start = new(0, int.MaxValue);
    private readonly ManualResetEventSlim _merged = new(false, spinCount: 0);
    private readonly ManualResetEventSlim _done = new(false, spinCount: 0);
    private bool _helpersStarted;
    private volatile bool _disposed;

    // The update in progress, shared with the helpers; cleared afterwards so the frame is not kept alive.
    private ReadOnlyMemory<byte> _frame;
    private int _stride;
    private IReadOnlyList<PixelRect>? _rects;
    private EncodedUpdate? _output;
    private EncodeSettings _settings;
    private int _rows;
    private int _nextRow;
    private int _classifying;
    private int _parts;
    private int _next;
    private int _pending;
    private Exception? _failure;

    /// <param name="logger">Receives the start-up warning when TurboJPEG is missing.</param>
    /// <param name="jpegQuality">1 to 100.</param>
    /// <param name="workerCount">Threads encoding one update, the caller included; 0 means <see cref="Environment.ProcessorCount"/>.</param>
    public FrameEncoder(ILogger<FrameEncoder> logger, int jpegQuality = DefaultJpegQuality, int workerCount = 0)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(jpegQuality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jpegQuality, 100);
        ArgumentOutOfRangeException.ThrowIfNegative(workerCount);
        JpegQuality = jpegQuality;
        WorkerCount = workerCount == 0 ? Environment.ProcessorCount : workerCount;
        _encoders = new RectEncoder[WorkerCount];
        for (int i = 0; i < _encoders.Length; i++)
        {
            _encoders[i] = new RectEncoder(jpegQuality);
        }
        _helpers = new Thread[WorkerCount - 1];
        JpegEncoderFactory.WarnIfFallback(logger);
        LogCreated(logger, WorkerCount, TurboJpeg.IsAvailable ? "TurboJPEG" : "SkiaSharp", jpegQuality);
    }

    public int JpegQuality { get; }

    /// <summary>Threads that encode one update, the caller included.</summary>
    public int WorkerCount { get; }

    /// <summary>
    /// Classifies and encodes <paramref name="rects"/> of an XRGB8888 frame with
    /// <paramref name="stride"/> bytes per row into <paramref name="output"/> (cleared first).
    /// Each rectangle becomes one or more parts of one kind that cover it exactly once; the output
    /// holds them in the order of <paramref name="rects"/>, and within one rectangle by top edge,
    /// then left edge. Returns when every part is done; on failure the output is left empty.
    /// </summary>
    public void Encode(ReadOnlyMemory<byte> frame, int stride, IReadOnlyList<PixelRect> rects, EncodedUpdate output) =>
        Encode(frame, stride, rects, output, default);

    /// <summary>Like <see cref="Encode(ReadOnlyMemory{byte}, int, IReadOnlyList{PixelRect}, EncodedUpdate)"/>, with <paramref name="settings"/> (JPEG quality per part, or lossless).</summary>
    public void Encode(ReadOnlyMemory<byte> frame, int stride, IReadOnlyList<PixelRect> rects, EncodedUpdate output, EncodeSettings settings)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(rects);
        ArgumentNullException.ThrowIfNull(output);
        output.Clear();
        int rows = _splitter.Plan(frame.Length, stride, rects);
        if (rows == 0)
        {
            return;
        }
        int helpers = HelpersFor(_splitter.Pixels);
        _settings = settings;
        if (helpers == 0)
        {
            EncodeOnCaller(frame.Span, stride, rects, rows, output);
            _settings = default;
            return;
        }

        _frame = frame;
        _stride = stride;
        _rects = rects;
        _output = output;
        _rows = rows;
        _nextRow = 0;
        _classifying = helpers + 1;
        _parts = 0;
        _next = 0;
        _failure = null;
        _pending = helpers;
        _merged.Reset();
        _done.Reset();
        StartHelpers();
        _start.Release(helpers);
        Work(_encoders[0]);
        _done.Wait();

        Exception? failure = _failure;
        _frame = default;
        _rects = null;
        _output = null;
        _settings = default;
        _failure = null;
        if (failure is not null)
        {
            output.Clear();
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (_helpersStarted)
        {
            _start.Release(_helpers.Length);
            foreach (Thread helper in _helpers)
            {
                helper.Join();
            }
        }
        foreach (RectEncoder encoder in _encoders)
        {
            encoder.Dispose();
        }
        _start.Dispose();
        _merged.Dispose();
        _done.Dispose();
    }

    private int HelpersFor(long pixels)
    {
        if (WorkerCount == 1)
        {
            return 0;
        }
        long threads = Math.Min(WorkerCount, Math.Max(1, pixels / MinPixelsPerWorker));
        return (int)threads - 1;
    }

    private void EncodeOnCaller(ReadOnlySpan<byte> frame, int stride, IReadOnlyList<PixelRect> rects, int rows, EncodedUpdate output)
    {
        try
        {
            for (int row = 0; row < rows; row++)
            {
                _splitter.ClassifyRow(frame, stride, rects, row);
            }
            int parts = _splitter.Merge(rects);
            output.Prepare(parts);
            for (int i = 0; i < parts; i++)
            {
                output.Set(i, _encoders[0].Encode(frame, stride, _splitter[i], _settings));
            }
        }
        catch
        {
            output.Clear();
            throw;
        }
    }

    private void StartHelpers()
    {
        if (_helpersStarted)
        {
            return;
        }
        for (int i = 0; i < _helpers.Length; i++)
        {
            _helpers[i] = new Thread(Help)
            {
                IsBackground = true,
                Name = "WebConsole encoder " + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            _helpers[i].Start(_encoders[i + 1]);
        }
        _helpersStarted = true;
    }

    private void Help(object? state)
    {
        var encoder = (RectEncoder)state!;
        while (true)
        {
            _start.WaitOne();
            if (_disposed)
            {
                return;
            }
            Work(encoder);
            if (Interlocked.Decrement(ref _pending) == 0)
            {
                _done.Set();
            }
        }
    }

    /// <summary>One thread's share of an update: classify, meet the others, encode.</summary>
    private void Work(RectEncoder encoder)
    {
        ClassifyRows();
        if (Interlocked.Decrement(ref _classifying) == 0)
        {
            MergeParts();
        }
        else
        {
            _merged.Wait();
        }
        EncodeParts(encoder);
    }

    /// <summary>Classifies tile rows until none is left; the first failure stops every thread.</summary>
    private void ClassifyRows()
    {
        try
        {
            ReadOnlySpan<byte> frame = _frame.Span;
            int stride = _stride, rows = _rows;
            IReadOnlyList<PixelRect> rects = _rects!;
            for (int row = Interlocked.Increment(ref _nextRow) - 1; row < rows; row = Interlocked.Increment(ref _nextRow) - 1)
            {
                _splitter.ClassifyRow(frame, stride, rects, row);
            }
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
            Volatile.Write(ref _nextRow, _rows);
        }
    }

    /// <summary>Run by the last thread to finish classifying; the event releases the others even on failure.</summary>
    private void MergeParts()
    {
        try
        {
            if (_failure is null)
            {
                int parts = _splitter.Merge(_rects!);
                _output!.Prepare(parts);
                _parts = parts;
            }
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
        }
        finally
        {
            _merged.Set();
        }
    }

    /// <summary>Encodes parts until none is left; the first failure stops every thread.</summary>
    private void EncodeParts(RectEncoder encoder)
    {
        try
        {
            ReadOnlySpan<byte> frame = _frame.Span;
            int stride = _stride, parts = _parts;
            EncodedUpdate output = _output!;
            for (int i = Interlocked.Increment(ref _next) - 1; i < parts; i = Interlocked.Increment(ref _next) - 1)
            {
                output.Set(i, encoder.Encode(frame, stride, _splitter[i], _settings));
            }
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
            Volatile.Write(ref _next, _parts);
        }
    }
}
