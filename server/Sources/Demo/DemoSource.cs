using WebConsole.Demo;
using WebConsole.Region;
using WebConsole.Sources.Region;

namespace WebConsole.Sources.Demo;

/// <summary>
/// A <c>demo</c> console: the built-in demo producer writing a real region (requested mode: it
/// renders only while someone watches), read like any other region. The producer lives and dies
/// with the console, so a demo console added at run time runs one and a removed one leaves no
/// thread or file behind.
/// </summary>
internal sealed class DemoSource : IFramebufferSource
{
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(2);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _producer;
    private readonly IFramebufferSource _region;

    public DemoSource(string path, PixelBudget budget, TimeProvider time)
    {
        var producer = new DemoProducer(new DemoProducerOptions { Path = path, Requested = true, DeleteOnStop = true }, time);
        _producer = producer.RunAsync(_stop.Token);
        _region = new RegionSource(path, budget);
    }

    public RegionStatus Status => _region.Status;

    public string? Reason => _producer.IsFaulted ? $"the demo producer stopped: {_producer.Exception!.InnerException!.Message}" : _region.Reason;

    public int Width => _region.Width;

    public int Height => _region.Height;

    public ReadOnlyMemory<byte> Frame => _region.Frame;

    public int Stride => _region.Stride;

    public IReadOnlyList<PixelRect> Damage => _region.Damage;

    public void WaitForUpdate(TimeSpan maxWait) => _region.WaitForUpdate(maxWait);

    public void Wake() => _region.Wake();

    public bool AnswersRequests => _region.AnswersRequests;

    public void Interrupt() => _region.Interrupt();

    public RegionChange Poll() => _region.Poll();

    public void ReleaseFrame() => _region.ReleaseFrame();

    public bool TrySendInput(in InputEvent e) => _region.TrySendInput(e);

    public bool TryGetCursor(out CursorState cursor, out ReadOnlySpan<byte> image) => _region.TryGetCursor(out cursor, out image);

    public void Dispose()
    {
        _region.Dispose();
        _stop.Cancel();
        // The producer deletes its region file as it stops; a fault was shown as the console's reason.
        _ = _producer.ContinueWith(static _ => { }, TaskScheduler.Default).Wait(StopWait);
        _stop.Dispose();
    }
}
