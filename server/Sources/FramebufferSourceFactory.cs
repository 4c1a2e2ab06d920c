using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using WebConsole.Consoles;
using WebConsole.Region;
using WebConsole.Sources.Clipboard;
using WebConsole.Sources.Demo;
using WebConsole.Sources.Fbdev;
using WebConsole.Sources.Qemu;
using WebConsole.Sources.Region;
using WebConsole.Sources.Unavailable;
using WebConsole.Sources.Xwd;

using WebConsole.Sources.X11;

namespace WebConsole.Sources;

/// <summary>
/// Region files as configured; demo consoles read the region their hosted producer writes; xwd
/// consoles read Xvfb's screen file (xwd-shm: its shared memory segment) and send input to
/// <c>Consoles:&lt;id&gt;:Display</c>; fbdev consoles read a framebuffer device; qemu consoles
/// connect to QEMU's D-Bus display. Every source reserves its modes from the one pixel budget
/// (<c>Streaming:MaxPixels</c>, <c>Streaming:MaxTotalPixels</c>). Sources with a guest clipboard
/// (X displays, QEMU) get the <c>Clipboard</c> section's size limit (and X its selection) from here.
/// </summary>
internal sealed class FramebufferSourceFactory(
    DemoRegionPaths demoPaths, PixelBudget budget, TimeProvider time,
    ILoggerFactory loggers, IMeterFactory meters, IOptions<ClipboardOptions> clipboard, IQemuGraphicsOpener? graphics = null) : IFramebufferSourceFactory
{
    /// <summary>The largest clipboard text a source keeps or takes (<c>Clipboard:MaxBytes</c>).</summary>
    private int ClipboardMaxBytes => clipboard.Value.MaxBytes;

    private readonly Lazy<QemuMetrics> _qemuMetrics = new(() => new QemuMetrics(meters));

    public IFramebufferSource Create(string consoleId, ConsoleDefinition definition) => definition.Spec.Kind switch
    {
        SourceKind.Region => new RegionSource(definition.Spec.Path!, budget),
        SourceKind.Demo => new DemoSource(demoPaths.For(consoleId), budget, time),
        SourceKind.Xwd => Xwd(definition, new XwdFileStore(definition.Spec.Path!)),
        SourceKind.XwdShm => Xwd(definition, ShmStore(definition.Spec)),
        SourceKind.Fbdev => new FbdevSource(definition.Spec.Path!, time, budget),
        SourceKind.Qemu => Qemu(consoleId, definition.Spec),
        SourceKind.Unavailable => new UnavailableSource(definition.Spec.Path ?? "unavailable"),
        SourceKind.X11 => new X11Source(definition.Spec.Path!, time, loggers.CreateLogger<X11Source>(), loggers.CreateLogger<XTestInput>(), budget,
            XClipboard(definition.Spec.Path!)),
        _ => throw new ArgumentOutOfRangeException(nameof(definition), definition, "unknown source kind"),
    };

    private QemuSource Qemu(string consoleId, SourceSpec spec)
    {
        QemuSourceTarget? target;
        if (spec.Path!.StartsWith(QemuSourceTarget.LibvirtPrefix, StringComparison.Ordinal))
        {
            // Made only by the libvirt provider (SourceSpec.ForLibvirtDomain); text never parses to it.
            target = QemuSourceTarget.ForLibvirt(spec.Path[QemuSourceTarget.LibvirtPrefix.Length..]);
        }
        else if (!QemuSourceTarget.TryParse(spec.Path, out target, out string? error))
        {
            throw new ArgumentException(error, nameof(spec));
        }
        var source = new QemuSource(target!, budget, offerMap: true, time, loggers.CreateLogger<QemuSource>(),
            clipboardMaxBytes: clipboard.Value.MaxBytes, graphics: graphics);
        _qemuMetrics.Value.Add(consoleId, source);
        return source;
    }

    private XwdShmStore ShmStore(SourceSpec spec) =>
        XwdShmTarget.TryParse(spec.Path!, out XwdShmTarget? target, out string? error)
            ? new XwdShmStore(target!, time)
            : throw new ArgumentException(error, nameof(spec));

    private XwdSource Xwd(ConsoleDefinition definition, IXwdStore store) =>
        new(store, XInput(definition.Display), time, loggers.CreateLogger<XwdSource>(), budget, XDamage(definition.Display),
            definition.Display is null ? null : XClipboard(definition.Display));

    /// <summary>An X display's selections as the console's clipboard, bounded by <c>Clipboard:MaxBytes</c>.</summary>
    private X11Clipboard XClipboard(string display) =>
        new(display, ClipboardText.TryParseSelection(clipboard.Value.Selection, out ClipboardSelections s) ? s : ClipboardSelections.Clipboard,
            ClipboardMaxBytes, time, loggers.CreateLogger<X11Clipboard>());

    /// <summary>X damage for an xwd console whose display is configured: it reads only what changed, when it changed.</summary>
    private X11DamageWatch? XDamage(string? display) =>
        display is null ? null : new X11DamageWatch(display, time, loggers.CreateLogger<X11DamageWatch>());

    private XTestInput? XInput(string? display) =>
        display is null ? null : new XTestInput(display, time, loggers.CreateLogger<XTestInput>());
}
