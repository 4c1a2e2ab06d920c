using WebConsole.Sources.Qemu;
using WebConsole.Sources.Xwd;

namespace WebConsole.Sources;

/// <summary>
/// A parsed <c>Consoles:&lt;id&gt;:Source</c> value: <c>region:/dev/shm/vm1.fb</c>, <c>demo</c>,
/// <c>xwd:/tmp/xvfb/Xvfb_screen0</c>, <c>xwd-shm::99</c> (Xvfb :99 -shmem, screen 0; <c>:99.1</c>
/// for screen 1; <c>shmid=123</c> for one fixed segment), <c>fbdev:/dev/fb0</c> or
/// <c>qemu:qmp=/run/vm1/qmp.sock</c> / <c>qemu:dbus=unix:path=/run/vm1/bus.sock</c> (optionally <c>,console=N</c>)
/// or <c>x11::99</c> (any local X server, display :99 screen 0; <c>:99.1</c> for screen 1).
/// </summary>
public sealed record SourceSpec(SourceKind Kind, string? Path)
{
    /// <summary>Parses a source string; false with a reason an operator can act on.</summary>
    public static bool TryParse(string? text, out SourceSpec? spec, out string? error)
    {
        spec = null;
        error = null;
        string value = text?.Trim() ?? "";
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        string scheme = colon < 0 ? value : value[..colon];
        string? path = colon < 0 ? null : value[(colon + 1)..];
        switch (scheme.ToLowerInvariant())
        {
            case "region" when !string.IsNullOrWhiteSpace(path) && System.IO.Path.IsPathFullyQualified(path):
                spec = new SourceSpec(SourceKind.Region, path);
                return true;
            case "region":
                error = $"'{value}': a region source needs an absolute path, e.g. region:/dev/shm/vm1.fb";
                return false;
            case "xwd" when !string.IsNullOrWhiteSpace(path) && System.IO.Path.IsPathFullyQualified(path):
                spec = new SourceSpec(SourceKind.Xwd, path);
                return true;
            case "xwd":
                error = $"'{value}': an xwd source needs the absolute path of the XWD file, e.g. xwd:/tmp/xvfb/Xvfb_screen0 (Xvfb -fbdir /tmp/xvfb)";
                return false;
            case "xwd-shm" when path is not null && XwdShmTarget.TryParse(path.Trim(), out XwdShmTarget? target, out _):
                spec = new SourceSpec(SourceKind.XwdShm, target!.ToString());
                return true;
            case "xwd-shm":
                _ = XwdShmTarget.TryParse(path?.Trim() ?? "", out _, out string? why);
                error = $"'{value}': an xwd-shm source needs the X display of an Xvfb started with -shmem, e.g. xwd-shm::99 (screen 0) or xwd-shm::99.1, or a segment id, e.g. xwd-shm:shmid=123 ({why})";
                return false;
            case "fbdev" when !string.IsNullOrWhiteSpace(path) && System.IO.Path.IsPathFullyQualified(path):
                spec = new SourceSpec(SourceKind.Fbdev, path);
                return true;
            case "fbdev":
                error = $"'{value}': an fbdev source needs the absolute path of the device, e.g. fbdev:/dev/fb0";
                return false;
            case "qemu" when path is not null && QemuSourceTarget.TryParse(path, out QemuSourceTarget? qemu, out _):
                spec = new SourceSpec(SourceKind.Qemu, qemu!.ToString());
                return true;
            case "qemu":
                _ = QemuSourceTarget.TryParse(path ?? "", out _, out string? qemuWhy);
                error = $"'{value}': a qemu source needs QEMU's QMP socket or D-Bus address, e.g. qemu:qmp=/run/vm1/qmp.sock or qemu:dbus=unix:path=/run/vm1/bus.sock, optionally with ,console=N ({qemuWhy})";
                return false;
            case "x11" when path is not null && XwdShmTarget.TryParse(path.Trim(), out XwdShmTarget? x11, out _) && x11!.Display is not null:
                spec = new SourceSpec(SourceKind.X11, x11.ToString());
                return true;
            case "x11":
                error = $"'{value}': an x11 source needs a local X display, e.g. x11::99 (screen 0) or x11::99.1";
                return false;
            case "demo" when string.IsNullOrEmpty(path):
                spec = new SourceSpec(SourceKind.Demo, null);
                return true;
            case "demo":
                error = $"'{value}': the demo source takes no argument";
                return false;
            default:
                error = $"'{value}': unknown source; use region:/path/to/file, xwd:/path/to/Xvfb_screen0, xwd-shm::99, x11::99, fbdev:/dev/fbN, qemu:qmp=/path/to/qmp.sock or demo";
                return false;
        }
    }

    /// <summary>
    /// The display of the libvirt domain <paramref name="uuid"/> (<c>qemu:libvirt=&lt;uuid&gt;</c>),
    /// opened with virDomainOpenGraphicsFD. <see cref="TryParse"/> refuses this form: only the
    /// libvirt provider makes it, so an API caller cannot open an arbitrary domain.
    /// </summary>
    internal static SourceSpec ForLibvirtDomain(string uuid) => new(SourceKind.Qemu, QemuSourceTarget.ForLibvirt(uuid).ToString());

    /// <summary>
    /// A console that cannot be shown, with the reason its viewers and the list see (status invalid;
    /// waiting when the reason starts with "waiting for"). Made by providers, never parsed.
    /// </summary>
    internal static SourceSpec Unavailable(string reason) => new(SourceKind.Unavailable, reason);

    /// <inheritdoc />
    public override string ToString()
    {
        string scheme = Kind == SourceKind.XwdShm ? "xwd-shm" : Kind.ToString().ToLowerInvariant();
        return Path is null ? scheme : $"{scheme}:{Path}";
    }
}
