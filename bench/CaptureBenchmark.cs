using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using WebConsole.Capture;
using WebConsole.Encoding;
using WebConsole.Region;

namespace WebConsole.Bench;

/// <summary>
/// <c>capture</c>: what the server's capture loop spends per frame, in-process: the
/// <see cref="ChangeDetector"/> finding the changed tiles of a damaged frame, then the
/// <see cref="FrameEncoder"/> (every core, as the server runs it) encoding them. Each frame
/// alternates between two pictures, so every frame really changes.
/// </summary>
internal sealed class CaptureBenchmark : IBenchmark
{
    private const int WarmUp = 10;

    private static readonly (int Width, int Height)[] Sizes = [(1280, 720), (1920, 1080)];

    public string Name => "capture";

    public string Description => "ChangeDetector + FrameEncoder per frame: small text change, full-screen text, full-screen noise, 640x360 photo area [--frames N]";

    public int Run(ReadOnlySpan<string> args)
    {
        int frames = CommandLine.Int(args, "--frames", 200);
        Console.WriteLine($"# capture: ChangeDetector.FindChanges + FrameEncoder.Encode per frame, {frames} frames after {WarmUp} warm-up, " +
            $"{Environment.ProcessorCount} cores, JPEG quality {FrameEncoder.DefaultJpegQuality}, TurboJPEG available: {TurboJpeg.IsAvailable}; load average {MachineInfo.LoadAverage}");
        Console.WriteLine();
        Console.WriteLine("| Frame | Change | Damage | Rects sent (solid/png/jpeg) | Detect p50 ms | Encode p50 ms | Total p50 ms | Total p95 ms | Bytes/frame p50 |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|");
        foreach ((int width, int height) in Sizes)
        {
            SyntheticFrame text = SyntheticFrame.Text(width, height);
            var full = new PixelRect(0, 0, width, height);

            // A 40x20 patch of the terminal retyped: five characters and a bit of the next line.
            var patch = new PixelRect(width / 16 + 8 * 12, height / 12 + 24 + 16 * 6, 40, 20);
            Row(text, "40x20 text", [patch], text.Bytes, Retyped(text, patch), frames);
            // The terminal scrolls by one line: nearly every tile changes, content stays text.
            Row(text, "full-screen text (scroll)", [full], text.Bytes, Scrolled(text, 16), frames);
            // Two unrelated noise pictures: every pixel changes, the worst case for every codec.
            SyntheticFrame noise = SyntheticFrame.Noise(width, height);
            byte[] otherNoise = new byte[noise.Bytes.Length];
            new Random(5).NextBytes(otherNoise);
            Row(noise, "full-screen noise", [full], noise.Bytes, otherNoise, frames);
            // One step of the animation benchmark's area: a photo-like picture panning by 4 pixels.
            var area = new PixelRect(320, 192, 640, 360);
            SyntheticFrame texture = SyntheticFrame.Photo(area.Width * 3, area.Height);
            Row(text, "640x360 photo area (animation step)", [area], WithArea(text, area, texture, 0), WithArea(text, area, texture, 4), frames);
        }
        return 0;
    }

    private static void Row(SyntheticFrame frame, string change, PixelRect[] damage, byte[] first, byte[] second, int frames)
    {
        var detector = new ChangeDetector();
        detector.Reset(frame.Width, frame.Height);
        var changed = new List<PixelRect>(256);
        using var encoder = new FrameEncoder(NullLogger<FrameEncoder>.Instance, FrameEncoder.DefaultJpegQuality);
        using var update = new EncodedUpdate();
        // The shadow starts from the first picture, as after a viewer's initial full frame.
        detector.FindChanges(first, frame.Stride, [new PixelRect(0, 0, frame.Width, frame.Height)], changed);

        var detect = new double[frames];
        var encode = new double[frames];
        var total = new double[frames];
        var bytes = new double[frames];
        string kinds = "";
        for (int i = -WarmUp; i < frames; i++)
        {
            byte[] pixels = (i & 1) == 0 ? second : first;
            long start = Stopwatch.GetTimestamp();
            detector.FindChanges(pixels, frame.Stride, damage, changed);
            long detected = Stopwatch.GetTimestamp();
            encoder.Encode(pixels, frame.Stride, changed, update);
            long encoded = Stopwatch.GetTimestamp();
            if (i >= 0)
            {
                detect[i] = Stopwatch.GetElapsedTime(start, detected).TotalMilliseconds;
                encode[i] = Stopwatch.GetElapsedTime(detected, encoded).TotalMilliseconds;
                total[i] = Stopwatch.GetElapsedTime(start, encoded).TotalMilliseconds;
                bytes[i] = update.TotalBytes;
                kinds = $"{update.Count} ({Kinds(update)})";
            }
        }
        var totals = new Distribution(total);
        string damageText = damage[0].Width == frame.Width && damage[0].Height == frame.Height
            ? "full frame"
            : $"{damage[0].Width}x{damage[0].Height}";
        Console.WriteLine($"| {frame.Width}x{frame.Height} | {change} | {damageText} | {kinds} | {new Distribution(detect).Median:F3} | " +
            $"{new Distribution(encode).Median:F3} | {totals.Median:F3} | {totals.P95:F3} | {new Distribution(bytes).Median:N0} |");
    }

    private static string Kinds(EncodedUpdate update)
    {
        (int solid, int png, int jpeg) = update.CountKinds();
        return $"{solid}/{png}/{jpeg}";
    }

    /// <summary>The frame with <paramref name="patch"/> redrawn as different text: seeded ink on the terminal's background.</summary>
    private static byte[] Retyped(SyntheticFrame frame, PixelRect patch)
    {
        byte[] pixels = (byte[])frame.Bytes.Clone();
        var random = new Random(11);
        for (int y = patch.Y; y < patch.Bottom; y++)
        {
            for (int x = patch.X; x < patch.Right; x++)
            {
                bool ink = (y - patch.Y) % 16 is >= 3 and <= 13 && random.Next(10) < 3;
                byte level = ink ? (byte)0xE0 : (byte)0x1E;
                int i = y * frame.Stride + x * 4;
                pixels[i] = level;
                pixels[i + 1] = level;
                pixels[i + 2] = level;
                pixels[i + 3] = 0xFF;
            }
        }
        return pixels;
    }

    /// <summary>The frame with <paramref name="area"/> showing <paramref name="texture"/> from column <paramref name="offset"/>.</summary>
    private static byte[] WithArea(SyntheticFrame frame, PixelRect area, SyntheticFrame texture, int offset)
    {
        byte[] pixels = (byte[])frame.Bytes.Clone();
        for (int y = 0; y < area.Height; y++)
        {
            texture.Bytes.AsSpan(y * texture.Stride + offset * 4, area.Width * 4).CopyTo(pixels.AsSpan((area.Y + y) * frame.Stride + area.X * 4));
        }
        return pixels;
    }

    /// <summary>The frame moved up by <paramref name="rows"/> pixel rows, the top rows wrapping to the bottom.</summary>
    private static byte[] Scrolled(SyntheticFrame frame, int rows)
    {
        byte[] pixels = new byte[frame.Bytes.Length];
        for (int y = 0; y < frame.Height; y++)
        {
            frame.Bytes.AsSpan((y + rows) % frame.Height * frame.Stride, frame.Stride).CopyTo(pixels.AsSpan(y * frame.Stride));
        }
        return pixels;
    }
}
