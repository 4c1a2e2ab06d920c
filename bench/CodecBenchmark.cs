using SkiaSharp;
using WebConsole.Encoding;
using WebConsole.Region;

namespace WebConsole.Bench;

/// <summary>
/// <c>codecs</c>: the lossy choices issue 13 asks to measure, on 720p frames: JPEG chroma 4:2:0 (what
/// is sent) against 4:4:4, and WebP (SkiaSharp's libwebp, which Chromium decodes) against JPEG, at the
/// top and a motion quality: bytes, encode time, and how far the decoded picture is from the frame
/// (mean absolute error per channel, and PSNR), decoded with SkiaSharp.
/// </summary>
internal sealed class CodecBenchmark : IBenchmark
{
    public string Name => "codecs";

    public string Description => "JPEG 4:2:0 vs 4:4:4 and WebP vs JPEG: bytes, encode ms, error [--runs N]";

    public int Run(ReadOnlySpan<string> args)
    {
        int runs = CommandLine.Int(args, "--runs", 15);
        const int width = 1280, height = 720;
        SyntheticFrame[] frames = [SyntheticFrame.TextOnGradient(width, height), SyntheticFrame.Photo(width, height), SyntheticFrame.Noise(width, height)];
        Console.WriteLine($"# codecs: {width}x{height}, whole frame, one thread, median of {runs}; error = decoded vs frame; load average {MachineInfo.LoadAverage}");
        Console.WriteLine();
        Console.WriteLine("| Content | Codec | Quality | ms | bytes | bytes vs JPEG 4:2:0 | mean abs error | PSNR dB |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (SyntheticFrame frame in frames)
        {
            foreach (int quality in new[] { 80, 50 })
            {
                using var j420 = new TurboJpegEncoder(quality);
                using var j444 = new TurboJpegEncoder(quality) { Subsampling = TurboJpegNative.TJSAMP_444 };
                (double ms420, byte[] jpeg420) = Measure(runs, () => j420.Encode(frame.Bytes, frame.Stride, frame.Bounds).ToArray());
                (double ms444, byte[] jpeg444) = Measure(runs, () => j444.Encode(frame.Bytes, frame.Stride, frame.Bounds).ToArray());
                (double msWebp, byte[] webp) = Measure(runs, () => Webp(frame, quality));
                Row(frame, "JPEG 4:2:0 (TurboJPEG)", quality, ms420, jpeg420, jpeg420.Length);
                Row(frame, "JPEG 4:4:4 (TurboJPEG)", quality, ms444, jpeg444, jpeg420.Length);
                Row(frame, "WebP lossy (SkiaSharp)", quality, msWebp, webp, jpeg420.Length);
            }
        }
        return 0;
    }

    private static (double Ms, byte[] Bytes) Measure(int runs, Func<byte[]> encode)
    {
        byte[] last = encode();
        (double ms, _) = Timing.Median(runs, () =>
        {
            last = encode();
            return last.Length;
        });
        return (ms, last);
    }

    private static unsafe byte[] Webp(SyntheticFrame frame, int quality)
    {
        var info = new SKImageInfo(frame.Width, frame.Height, SKColorType.Bgra8888, SKAlphaType.Opaque);
        fixed (byte* pixels = frame.Bytes)
        {
            using var pixmap = new SKPixmap(info, (nint)pixels, frame.Stride);
            using SKData data = pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, quality))
                ?? throw new InvalidOperationException("SkiaSharp could not encode WebP");
            return data.ToArray();
        }
    }

    private static void Row(SyntheticFrame frame, string codec, int quality, double ms, byte[] encoded, int jpeg420Bytes)
    {
        (double mae, double psnr) = Error(frame, encoded);
        Console.WriteLine($"| {frame.Content} | {codec} | {quality} | {ms:F2} | {encoded.Length:N0} | {(double)encoded.Length / jpeg420Bytes:F2} | {mae:F2} | {psnr:F1} |");
    }

    private static (double MeanAbsError, double Psnr) Error(SyntheticFrame frame, byte[] encoded)
    {
        using SKBitmap? decoded = SKBitmap.Decode(encoded, new SKImageInfo(frame.Width, frame.Height, SKColorType.Bgra8888, SKAlphaType.Opaque));
        if (decoded is null)
        {
            return (double.NaN, double.NaN); // SkiaSharp could not decode it back
        }
        ReadOnlySpan<byte> got = decoded.GetPixelSpan();
        long absolute = 0;
        double squared = 0;
        for (int y = 0; y < frame.Height; y++)
        {
            ReadOnlySpan<byte> a = frame.Bytes.AsSpan(y * frame.Stride, frame.Width * 4), b = got.Slice(y * decoded.RowBytes, frame.Width * 4);
            for (int i = 0; i < a.Length; i++)
            {
                if ((i & 3) == 3)
                {
                    continue; // X
                }
                int d = a[i] - b[i];
                absolute += Math.Abs(d);
                squared += d * d;
            }
        }
        double samples = (double)frame.Width * frame.Height * 3;
        double mse = squared / samples;
        return (absolute / samples, mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255 / mse));
    }
}
