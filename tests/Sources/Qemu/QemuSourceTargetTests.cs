using WebConsole.Sources;
using WebConsole.Sources.Qemu;

namespace WebConsole.Tests.Sources.Qemu;

public sealed class QemuSourceTargetTests
{
    [Theory]
    [InlineData("qemu:qmp=/run/vm1/qmp.sock", QemuRoute.Qmp, "/run/vm1/qmp.sock", 0, "/org/qemu/Display1/Console_0")]
    [InlineData("qemu:qmp=/run/vm1/qmp.sock,console=1", QemuRoute.Qmp, "/run/vm1/qmp.sock", 1, "/org/qemu/Display1/Console_1")]
    [InlineData("qemu:dbus=unix:path=/run/vm1/bus.sock", QemuRoute.Bus, "unix:path=/run/vm1/bus.sock", 0, "/org/qemu/Display1/Console_0")]
    [InlineData("qemu:dbus=unix:path=/run/vm1/bus.sock,guid=0123abcd,console=2", QemuRoute.Bus, "unix:path=/run/vm1/bus.sock,guid=0123abcd", 2, "/org/qemu/Display1/Console_2")]
    [InlineData("QEMU:qmp=/q.sock", QemuRoute.Qmp, "/q.sock", 0, "/org/qemu/Display1/Console_0")]
    public void SourceSpec_ParsesQemuTargets(string text, QemuRoute route, string address, int console, string path)
    {
        Assert.True(SourceSpec.TryParse(text, out SourceSpec? spec, out string? error), error);
        Assert.Equal(SourceKind.Qemu, spec!.Kind);
        Assert.True(QemuSourceTarget.TryParse(spec.Path!, out QemuSourceTarget? target, out error), error);
        Assert.Equal(route, target!.Route);
        Assert.Equal(address, target.Address);
        Assert.Equal(console, target.Console);
        Assert.Equal(path, target.ConsolePath);
        // The canonical form parses to the same target.
        Assert.True(SourceSpec.TryParse(spec.ToString(), out SourceSpec? again, out _));
        Assert.Equal(spec, again);
    }

    [Fact]
    public void BusAddress_GivesTheSocketToConnectTo()
    {
        Assert.True(QemuSourceTarget.TryParse("dbus=unix:abstract=qemu-bus", out QemuSourceTarget? target, out _));
        Assert.Equal("qemu-bus", target!.BusSocket);
        Assert.True(target.BusAbstract);
        Assert.True(QemuSourceTarget.TryParse("dbus=unix:path=/run/b.sock", out target, out _));
        Assert.Equal("/run/b.sock", target!.BusSocket);
        Assert.False(target.BusAbstract);
    }

    [Theory]
    [InlineData("qemu", "names neither")]
    [InlineData("qemu:", "names neither")]
    [InlineData("qemu:qmp=", "absolute path")]
    [InlineData("qemu:qmp=relative/qmp.sock", "absolute path")]
    [InlineData("qemu:qmp=/run/qmp.sock,console=x", "console=x")]
    [InlineData("qemu:qmp=/run/qmp.sock,console=-1", "console=-1")]
    [InlineData("qemu:qmp=/run/qmp.sock,console=256", "console index 0-255")]
    [InlineData("qemu:qmp=/run/qmp.sock,wait=off", "absolute path")]
    [InlineData("qemu:dbus=tcp:host=x,port=1", "unix address")]
    [InlineData("qemu:dbus=unix:path=relative", "unix address")]
    [InlineData("qemu:dbus=unix:tmpdir=/tmp", "unix address")]
    [InlineData("qemu:vnc=:1", "names neither")]
    public void SourceSpec_RejectsBadQemuValues_WithAReason(string text, string reason)
    {
        Assert.False(SourceSpec.TryParse(text, out SourceSpec? spec, out string? error));
        Assert.Null(spec);
        Assert.Contains("qemu:qmp=/run/vm1/qmp.sock", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
