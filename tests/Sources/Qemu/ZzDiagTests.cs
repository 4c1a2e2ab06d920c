using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using SkiaSharp;
using WebConsole.Region;
using WebConsole.Sources.Qemu;
using Xunit.Abstractions;

namespace WebConsole.Tests.Sources.Qemu;

public sealed class ZzDiagTests(ITestOutputHelper output)
{
    [Fact]
    public void Diag()
    {
        using var qemu = new SeaBiosQemu(Environment.GetEnvironmentVariable("DIAG_VGA") ?? "std", Environment.GetEnvironmentVariable("DIAG_QEMU") ?? SeaBiosQemu.Binary);
        using var source = new QemuSource(new QemuSourceTarget(QemuRoute.Qmp, qemu.QmpSocket, 0), 8192L * 8192, TimeProvider.System, NullLogger<QemuSource>.Instance);
        var sw = Stopwatch.StartNew();
        int lastW = 0, lastH = 0;
        while (sw.Elapsed < TimeSpan.FromSeconds(4))
        {
            source.WaitForUpdate(TimeSpan.FromMilliseconds(50));
            RegionChange c = source.Poll();
            if (source.Width != lastW || source.Height != lastH || (c & RegionChange.Status) != 0)
            {
                output.WriteLine($"{sw.ElapsedMilliseconds} ms: {c} {source.Status} {source.Reason} {source.Width}x{source.Height} {source.Transport} lit={QemuSourceRealTests.CountLit(source)}");
                lastW = source.Width; lastH = source.Height;
            }
        }
        output.WriteLine($"lit before {QemuSourceRealTests.CountLit(source)}, inline bytes {source.InlinePixelBytes}, updates {source.InlineUpdates}, stale? rejections {source.Rejections} map {source.MapUpdates} listener bytes {source.ListenerBytes}");
        Save(source, "/tmp/qemu-before.png");
        source.TrySendInput(InputEvent.Key(1, true));
        source.TrySendInput(InputEvent.Key(1, false));
        sw.Restart();
        while (sw.Elapsed < TimeSpan.FromSeconds(2))
        {
            source.WaitForUpdate(TimeSpan.FromMilliseconds(50));
            source.Poll();
        }
        output.WriteLine($"lit after {QemuSourceRealTests.CountLit(source)} {source.Width}x{source.Height}, updates {source.InlineUpdates}, map {source.MapUpdates}, listener bytes {source.ListenerBytes}");
        Save(source, "/tmp/qemu-after.png");
    }

    private static void Save(QemuSource s, string path)
    {
        var info = new SKImageInfo(s.Width, s.Height, SKColorType.Bgra8888, SKAlphaType.Opaque);
        using var bmp = new SKBitmap(info);
        byte[] px = s.Frame.ToArray();
        System.Runtime.InteropServices.Marshal.Copy(px, 0, bmp.GetPixels(), px.Length);
        using var img = SKImage.FromBitmap(bmp);
        using var data = img.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }
}
