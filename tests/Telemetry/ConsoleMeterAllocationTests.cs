using System.Buffers;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using WebConsole.Encoding;
using WebConsole.Region;
using WebConsole.Telemetry;
using WebConsole.Tests.Encoding;

namespace WebConsole.Tests.Telemetry;

/// <summary>The capture loop records on every frame: with the real OpenTelemetry SDK listening, that allocates nothing.</summary>
[Collection(AllocationTestGroup.Name)]
public sealed class ConsoleMeterAllocationTests
{
    [Fact]
    public void ConsoleMeter_RecordingAFrame_AllocatesNothing_WithTheSdkListening()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddWebConsoleTelemetry();
        using ServiceProvider provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<MeterProvider>(); // the SDK listens from here on
        ConsoleMeter meter = provider.GetRequiredService<ConsoleMetrics>().ForConsole("alloc", () => 1);

        using var update = new EncodedUpdate();
        update.Prepare(3);
        update.Set(0, new EncodedRect(new PixelRect(0, 0, 64, 64), RectKind.Solid, ArrayPool<byte>.Shared.Rent(3), 3));
        update.Set(1, new EncodedRect(new PixelRect(64, 0, 64, 64), RectKind.Png, ArrayPool<byte>.Shared.Rent(100), 100));
        update.Set(2, new EncodedRect(new PixelRect(128, 0, 64, 64), RectKind.Jpeg, ArrayPool<byte>.Shared.Rent(200), 200));

        for (int i = 0; i < 10; i++)
        {
            RecordFrame(meter, update);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            RecordFrame(meter, update);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    private static void RecordFrame(ConsoleMeter meter, EncodedUpdate update)
    {
        meter.FrameCaptured();
        meter.UpdateMerged();
        meter.Encoded(update, System.Diagnostics.Stopwatch.GetTimestamp(), viewers: 2);
    }
}
