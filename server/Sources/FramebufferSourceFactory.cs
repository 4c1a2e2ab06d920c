using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using WebConsole.Hosting;
using WebConsole.Input;
using WebConsole.Region;
using WebConsole.Sources.Qemu;

using WebConsole.Sources.X11;

namespace WebConsole.Sources;

/// <summary>
/// Region files as configured; demo consoles read the region their hosted producer writes; xwd
/// consoles read Xvfb's screen file (xwd-shm: its shared memory segment) and send input to
/// <c>Consoles:&lt;id&gt;:Display</c>; fbdev consoles read a framebuffer device; qemu consoles
/// connect to QEMU's D-Bus display. Every source reserves its modes from the one pixel budget
/// (<c>Streaming:MaxPixels</c>, <c>Streaming:MaxTotalPixels</c>).
/// </summary>
internal sealed class FramebufferSourceFactory(
    DemoRegionPaths demoPaths, IOptions<ConsolesOptions> consoles, PixelBudget budget, TimeProvider time,
    ILoggerFactory loggers, IMeterFactory meters) : IFramebufferSourceFactory
{
    private readonly Lazy<QemuMetrics> _qemuMetrics = new(() => new QemuMetrics(meters));

    public IFramebufferSource Create(string consoleId, SourceSpec spec) => spec.Kind switch
    {
        SourceKind.Region => new RegionSource(spec.Path!, budget),
        SourceKind.Demo => new RegionSource(demoPaths.For(consoleId), budget),
        SourceKind.Xwd => Xwd(consoleId, new XwdFileStore(spec.Path!)),
        SourceKind.XwdShm => Xwd(consoleId, ShmStore(spec)),
        SourceKind.Fbdev => new FbdevSource(spec.Path!, time, budget),
        SourceKind.Qemu => Qemu(consoleId, spec),
        SourceKind.X11 => new X11Source(spec.Path!, time, loggers.CreateLogger<X11Source>(), loggers.CreateLogger<XTestInput>(), budget),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec, "unknown source kind"),
    };

    private QemuSource Qemu(string consoleId, SourceSpec spec)
    {
        if (!QemuSourceTarget.TryParse(spec.Path!, out QemuSourceTarget? target, out string? error))
        {
            throw new ArgumentException(error, nameof(spec));
        }
        var source = new QemuSource(target!, budget, time, loggers.CreateLogger<QemuSource>());
        _qemuMetrics.Value.Add(consoleId, source);
        return source;
    }

    private XwdShmStore ShmStore(SourceSpec spec) =>
        XwdShmTarget.TryParse(spec.Path!, out XwdShmTarget? target, out string? error)
            ? new XwdShmStore(target!, time)
            : throw new ArgumentException(error, nameof(spec));

    private XwdSource Xwd(string consoleId, IXwdStore store) =>
        new(store, XInput(consoleId), time, loggers.CreateLogger<XwdSource>(), budget, XDamage(consoleId));

    /// <summary>X damage for an xwd console whose display is configured: it reads only what changed, when it changed.</summary>
    private X11DamageWatch? XDamage(string consoleId) =>
        consoles.Value.TryGetValue(consoleId, out ConsoleOptions? options) && !string.IsNullOrWhiteSpace(options.Display)
            ? new X11DamageWatch(options.Display, time, loggers.CreateLogger<X11DamageWatch>())
            : null;

    private XTestInput? XInput(string consoleId) =>
        consoles.Value.TryGetValue(consoleId, out ConsoleOptions? options) && !string.IsNullOrWhiteSpace(options.Display)
            ? new XTestInput(options.Display, time, loggers.CreateLogger<XTestInput>())
            : null;
}
