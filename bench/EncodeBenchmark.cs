using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using SkiaSharp;
using WebConsole.Encoding;
using WebConsole.Region;

namespace WebConsole.Bench;

/// <summary>
/// <c>encode</c>: the Encoding room on synthetic 720p and 1080p frames. JPEG encoders on a whole
/// frame, PNG settings on text, and <see cref="FrameEncoder"/> on a frame cut into 512x512
/// rectangles (what a full repaint sends), with one thread and with every core.
/// </summary>
internal sealed class EncodeBenchmark : IBenchmark
{
    private const int Quality = FrameEncoder.DefaultJpegQuality;
    private const int RectSize = 512;

    private static readonly (int Width, int Height)[] Sizes = [(1280, 720), (1920, 1080)];

    public string Name => "encode";

    public string Description => "JPEG (TurboJPEG vs SkiaSharp), PNG and FrameEncoder timings [--runs N]";

    public int Run(ReadOnlySpan<string> args)
    {
        int runs = 31;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--runs" && i + 1 < args.Length)
            {
                runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
        }

        Console.WriteLine($"# encode: median of {runs} runs, {Environment.ProcessorCount} cores, TurboJPEG available: {TurboJpeg.IsAvailable}");
        Console.WriteLine($"# JPEG quality {Quality}, 4:2:0; PNG filters {PngEncoder.Filters}, zlib level {PngEncoder.ZLibLevel}");
        Console.WriteLine();
        Console.WriteLine("## Whole frame, one thread");
        Console.WriteLine();
        Console.WriteLine("| Frame | Content | Encoder | ms | bytes |");
        Console.WriteLine("|---|---|---|---:|---:|");
        foreach ((int width, int height) in Sizes)
        {
            SyntheticFrame photo = SyntheticFrame.Photo(width, height);
            SyntheticFrame noise = SyntheticFrame.Noise(width, height);
            SyntheticFrame text = SyntheticFrame.Text(width, height);
            using (var turbo = new TurboJpegEncoder(Quality))
            using (var skia = new SkiaJpegEncoder(Quality))
            {
                Row(photo, "TurboJPEG", Jpeg(turbo, photo, runs));
                Row(photo, "SkiaSharp JPEG", Jpeg(skia, photo, runs));
                Row(noise, "TurboJPEG", Jpeg(turbo, noise, runs));
                Row(noise, "SkiaSharp JPEG", Jpeg(skia, noise, runs));
                Row(text, "TurboJPEG", Jpeg(turbo, text, runs));
            }
            using (var png = new PngEncoder())
            {
                Row(text, "SkiaSharp PNG", Png(png, text, runs));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"## FrameEncoder, frame cut into {RectSize}x{RectSize} rectangles (classify + encode + pooled copy)");
        Console.WriteLine();
        Console.WriteLine("| Frame | Content | Threads | ms | bytes | solid/png/jpeg | classify ms | allocated B/frame |");
        Console.WriteLine("|---|---|---:|---:|---:|---|---:|---:|");
        foreach ((int width, int height) in Sizes)
        {
            foreach (SyntheticFrame frame in new[] { SyntheticFrame.Text(width, height), SyntheticFrame.Noise(width, height), SyntheticFrame.Photo(width, height) })
            {
                List<PixelRect> rects = frame.Grid(RectSize);
                (double classifyMs, _) = Timing.Median(runs, () => Classify(frame, rects));
                foreach (int workers in new[] { 1, Environment.ProcessorCount })
                {
                    using var encoder = new FrameEncoder(NullLogger<FrameEncoder>.Instance, Quality, workers);
                    using var update = new EncodedUpdate();
                    (double ms, long bytes) = Timing.Median(runs, () =>
                    {
                        encoder.Encode(frame.Bytes, frame.Stride, rects, update);
                        return update.TotalBytes;
                    });
                    // Process-wide, after the warm-up above: what steady-state frames cost the GC.
                    long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                    for (int i = 0; i < runs; i++)
                    {
                        encoder.Encode(frame.Bytes, frame.Stride, rects, update);
                    }
                    long allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / runs;
                    Console.WriteLine($"| {frame.Width}x{frame.Height} | {frame.Content} | {workers} | {ms:F2} | {bytes:N0} | {Kinds(update)} | {classifyMs:F2} | {allocated:N0} |");
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("## PNG settings, 1920x1080 text frame, one thread");
        Console.WriteLine();
        Console.WriteLine("| Filters | zlib | ms | bytes |");
        Console.WriteLine("|---|---:|---:|---:|");
        SyntheticFrame sample = SyntheticFrame.Text(1920, 1080);
        SKPngEncoderFilterFlags[] filters =
            [SKPngEncoderFilterFlags.NoFilters, SKPngEncoderFilterFlags.Sub, SKPngEncoderFilterFlags.Up, SKPngEncoderFilterFlags.AllFilters];
        foreach (SKPngEncoderFilterFlags filter in filters)
        {
            foreach (int level in new[] { 1, 3, 6 })
            {
                using var png = new PngEncoder(filter, level);
                (double ms, long bytes) = Png(png, sample, runs);
                Console.WriteLine($"| {filter} | {level} | {ms:F2} | {bytes:N0} |");
            }
        }
        return 0;
    }

    private static (double Ms, long Bytes) Jpeg(IJpegEncoder encoder, SyntheticFrame frame, int runs) =>
        Timing.Median(runs, () => encoder.Encode(frame.Bytes, frame.Stride, frame.Bounds).Length);

    private static (double Ms, long Bytes) Png(PngEncoder encoder, SyntheticFrame frame, int runs) =>
        Timing.Median(runs, () => encoder.Encode(frame.Bytes, frame.Stride, frame.Bounds).Length);

    private static long Classify(SyntheticFrame frame, List<PixelRect> rects)
    {
        long jpeg = 0;
        foreach (PixelRect rect in rects)
        {
            jpeg += (long)RectClassifier.Classify(frame.Bytes, frame.Stride, rect, out _);
        }
        return jpeg;
    }

    private static void Row(SyntheticFrame frame, string encoder, (double Ms, long Bytes) result) =>
        Console.WriteLine($"| {frame.Width}x{frame.Height} | {frame.Content} | {encoder} | {result.Ms:F2} | {result.Bytes:N0} |");

    private static string Kinds(EncodedUpdate update)
    {
        (int solid, int png, int jpeg) = update.CountKinds();
        return $"{solid}/{png}/{jpeg}";
    }
}
