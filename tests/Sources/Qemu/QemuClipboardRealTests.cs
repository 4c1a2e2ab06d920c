using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using WebConsole.Region;
using WebConsole.Sources.Clipboard;
using WebConsole.Sources.Qemu;
using WebConsole.Testing;
using WebConsole.Tests.Hubs;
using Xunit.Abstractions;

namespace WebConsole.Tests.Sources.Qemu;

/// <summary>
/// The clipboard through a real QEMU (the system's 7.2 and 10.0 from backports) and the test
/// guest's agent (testing/qemu/vdagent/wc-vdagent.c on com.redhat.spice.0): text copied in the
/// guest reaches the source's subscribers, text set through the source reaches the guest's
/// clipboard, exactly, non-ASCII and large texts included; a second WebConsole on the same QEMU
/// takes the clipboard over; a QEMU without qemu-vdagent says it has no clipboard.
/// </summary>
public sealed class QemuClipboardRealTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_boot = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan s_ready = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_text = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("7.2")]
    [InlineData("10.0")]
    public async Task Clipboard_CrossesBothWays_ExactlyAndLarge_AndAfterAReconnect(string version)
    {
        using var vm = new QemuVm(ServerFactory.RepoRoot, Version(version), "std", clipboard: true);
        try
        {
            await RunAsync(vm, version);
        }
        finally
        {
            output.WriteLine($"QEMU's stderr: {vm.Errors}");
        }
    }

    private async Task RunAsync(QemuVm vm, string version)
    {
        using var agent = GuestAgentPort.Connect(vm.AgentPortPath);
        await vm.WaitForShellAsync(s_boot);
        var clock = Stopwatch.StartNew();

        var fromGuest = new BlockingCollection<string>();
        using (QemuSource source = NewSource(vm))
        {
            await WaitForBothAsync(source);
            await agent.WaitForAgentSettledAsync(s_ready);
            output.WriteLine($"{version}: clipboard both ways {clock.ElapsedMilliseconds} ms after connecting ({agent.Connects} agent connects)");
            using IDisposable subscription = source.Clipboard!.Subscribe(fromGuest.Add);

            // Guest to browser, then browser to guest, with text beyond ASCII and Latin-1.
            string copied = "guest: h\u00e9llo w\u00f6rld \u2713 \u65e5\u672c\u8a9e \U0001F389 \"quoted\"\n\ttab\r\nend";
            agent.Copy(copied);
            Assert.Equal(copied, Take(fromGuest));
            string pasted = "browser: Gr\u00fc\u00dfe, \u043c\u0438\u0440, \U0001F600 \u2014 ok";
            Assert.True(await source.Clipboard.SetTextAsync(pasted, Timeout()));
            Assert.Equal(pasted, await agent.WaitForReceivedAsync(1, s_text));

            // 100 KB each way (QEMU cuts what it sends the guest into 1 KiB chunks; the agent sends 2 KiB ones).
            string big = Text(100 * 1024, seed: 1);
            var timer = Stopwatch.StartNew();
            agent.Copy(big);
            Assert.Equal(big, Take(fromGuest));
            long guestToBrowser = timer.ElapsedMilliseconds;
            string bigBack = Text(100 * 1024, seed: 2);
            timer.Restart();
            Assert.True(await source.Clipboard.SetTextAsync(bigBack, Timeout()));
            Assert.Equal(bigBack, await agent.WaitForReceivedAsync(2, s_text));
            long browserToGuest = timer.ElapsedMilliseconds;
            output.WriteLine($"{version}: 100 KB guest -> source {guestToBrowser} ms, source -> guest {browserToGuest} ms");

            // 200 KB from the guest.
            string huge = Text(200 * 1024, seed: 3);
            timer.Restart();
            agent.Copy(huge);
            Assert.Equal(huge, Take(fromGuest));
            output.WriteLine($"{version}: 200 KB guest -> source {timer.ElapsedMilliseconds} ms");
            Assert.Equal(0, source.QemuClipboard.Rejections);
            Assert.Equal(Bytes(copied) + Bytes(big) + Bytes(huge), source.QemuClipboard.BytesFromGuest);
        }

        // WebConsole restarted: peer to peer, QEMU still holds the old registration; the new one takes over.
        using (QemuSource again = NewSource(vm, clipboardMaxBytes: 64 * 1024))
        {
            await WaitForBothAsync(again);
            await agent.WaitForAgentSettledAsync(s_ready);
            var second = new BlockingCollection<string>();
            using IDisposable subscription = again.Clipboard!.Subscribe(second.Add);
            string after = "after the reconnect: \u00e7a marche";
            agent.Copy(after);
            Assert.Equal(after, Take(second));
            Assert.True(await again.Clipboard.SetTextAsync("back \u2192 guest", Timeout()));
            Assert.Equal("back \u2192 guest", await agent.WaitForReceivedAsync(3, s_text));

            // Over this source's limit (64 KiB): refused, counted, nothing delivered; the next text still comes.
            agent.Copy(Text(100 * 1024, seed: 4));
            var waited = Stopwatch.StartNew();
            while (again.QemuClipboard.Rejections == 0 && waited.Elapsed < s_text)
            {
                await Task.Delay(20);
            }
            Assert.Equal(1, again.QemuClipboard.Rejections);
            Assert.False(await again.Clipboard.SetTextAsync(Text(65 * 1024, seed: 5), Timeout()));
            agent.Copy("small again");
            Assert.Equal("small again", Take(second));
            Assert.Empty(fromGuest);
        }
        Assert.Empty(agent.Errors);
    }

    /// <summary>QEMU killed and started again under the same source: the clipboard goes, and comes back with the new QEMU.</summary>
    [Theory]
    [InlineData("7.2")]
    [InlineData("10.0")]
    public async Task QemuRestart_TheClipboardComesBack(string version)
    {
        using var vm = new QemuVm(ServerFactory.RepoRoot, Version(version), "std", clipboard: true);
        await vm.WaitForShellAsync(s_boot);
        using QemuSource source = NewSource(vm);
        var fromGuest = new BlockingCollection<string>();
        using IDisposable subscription = source.Clipboard!.Subscribe(fromGuest.Add);
        await WaitForBothAsync(source);
        vm.Kill();
        var waited = Stopwatch.StartNew();
        while (source.Clipboard.Directions != ClipboardDirections.None && waited.Elapsed < s_ready)
        {
            await Task.Delay(20);
        }
        Assert.Equal(ClipboardDirections.None, source.Clipboard.Directions);
        Assert.Equal("not connected to QEMU", source.Clipboard.Reason);
        vm.Start();
        using var agent = GuestAgentPort.Connect(vm.AgentPortPath);
        await vm.WaitForShellAsync(s_boot);
        await WaitForBothAsync(source);
        await agent.WaitForAgentSettledAsync(s_ready);
        agent.Copy("after the restart \u2713");
        Assert.Equal("after the restart \u2713", Take(fromGuest));
        Assert.True(await source.Clipboard.SetTextAsync("into the new guest \u2713", Timeout()));
        Assert.Equal("into the new guest \u2713", await agent.WaitForReceivedAsync(1, s_text));
    }

    /// <summary>
    /// On a bus (libvirt's way), with no QMP: 10.0 shows the agent by resetting the serials when it
    /// reconnects, 7.2 only by the guest's first copy; then text crosses both ways.
    /// </summary>
    [Theory]
    [InlineData("7.2")]
    [InlineData("10.0")]
    public async Task OnABus_TheClipboardAppearsWhenTheAgentShowsItself_ThenCrossesBothWays(string version)
    {
        using var vm = new QemuVm(ServerFactory.RepoRoot, Version(version), "std", clipboard: true, onBus: true);
        using var agent = GuestAgentPort.Connect(vm.AgentPortPath);
        await vm.WaitForShellAsync(s_boot);
        Assert.True(QemuSourceTarget.TryParse(vm.Source["qemu:".Length..], out QemuSourceTarget? target, out string? error), error);
        using var source = new QemuSource(target!, new PixelBudget(1 << 22, 1 << 22), ClipboardOptions.DefaultMaxBytes, TimeProvider.System, NullLogger<QemuSource>.Instance);
        var fromGuest = new BlockingCollection<string>();
        using IDisposable subscription = source.Clipboard!.Subscribe(fromGuest.Add);
        var waited = Stopwatch.StartNew();
        while (source.Clipboard.Reason == "not connected to QEMU" && waited.Elapsed < s_ready)
        {
            await Task.Delay(20);
        }
        if (version == "7.2")
        {
            await Task.Delay(2000);
            Assert.Equal(ClipboardDirections.None, source.Clipboard.Directions);
            Assert.StartsWith("no clipboard agent in the guest yet", source.Clipboard.Reason, StringComparison.Ordinal);
        }
        else
        {
            await WaitForBothAsync(source); // before the guest has copied anything
        }
        await agent.WaitForAgentSettledAsync(s_ready);
        string copied = "on the bus: \u00e9\u00e8 \u2603";
        agent.Copy(copied);
        Assert.Equal(copied, Take(fromGuest));
        await WaitForBothAsync(source);
        Assert.True(await source.Clipboard.SetTextAsync("to the guest on the bus \u00df", Timeout()));
        Assert.Equal("to the guest on the bus \u00df", await agent.WaitForReceivedAsync(1, s_text));
        Assert.Equal(0, source.QemuClipboard.Rejections);
    }

    [Theory]
    [InlineData("7.2", false)]
    [InlineData("7.2", true)]
    [InlineData("10.0", false)]
    public async Task QemuWithoutVdagent_HasNoClipboard_AndSaysWhy(string version, bool onBus)
    {
        using var qemu = new SeaBiosQemu(binary: QemuTools.Binary(ServerFactory.RepoRoot, Version(version)), onBus: onBus);
        string spec = onBus ? $"dbus=unix:path={qemu.BusSocket}" : $"qmp={qemu.QmpSocket}";
        Assert.True(QemuSourceTarget.TryParse(spec, out QemuSourceTarget? target, out string? error), error);
        using var source = new QemuSource(target!, new PixelBudget(1 << 22, 1 << 22), offerMap: true, TimeProvider.System, NullLogger<QemuSource>.Instance);
        // Peer to peer, QMP says there is no qemu-vdagent chardev; on a bus (no QMP) only that no agent has shown itself.
        string expected = onBus ? "no clipboard agent in the guest yet" : "this QEMU has no clipboard (no qemu-vdagent with clipboard=on)";
        var waited = Stopwatch.StartNew();
        while (source.Clipboard!.Reason?.StartsWith(expected, StringComparison.Ordinal) != true && waited.Elapsed < s_ready)
        {
            await Task.Delay(20);
        }
        Assert.StartsWith(expected, source.Clipboard.Reason, StringComparison.Ordinal);
        Assert.Equal(ClipboardDirections.None, source.Clipboard.Directions);
        Assert.False(await source.Clipboard.SetTextAsync("nobody takes this", Timeout()));
        // And it stays so: the display works, nothing else changes.
        await Task.Delay(1000);
        Assert.Equal(ClipboardDirections.None, source.Clipboard.Directions);
    }

    private static QemuVersion Version(string version) => version == "10.0" ? QemuVersion.Backports10 : QemuVersion.System;

    private static QemuSource NewSource(QemuVm vm, int clipboardMaxBytes = ClipboardOptions.DefaultMaxBytes)
    {
        Assert.True(QemuSourceTarget.TryParse($"qmp={vm.QmpPath}", out QemuSourceTarget? target, out string? error), error);
        return new QemuSource(target!, new PixelBudget(1 << 22, 1 << 22), clipboardMaxBytes, TimeProvider.System, NullLogger<QemuSource>.Instance);
    }

    private static async Task WaitForBothAsync(QemuSource source)
    {
        var waited = Stopwatch.StartNew();
        while (source.Clipboard!.Directions != ClipboardDirections.Both)
        {
            if (waited.Elapsed > s_ready)
            {
                Assert.Fail($"the clipboard never became usable: {source.Clipboard.Reason}");
            }
            await Task.Delay(20);
        }
    }

    private static string Take(BlockingCollection<string> texts)
    {
        Assert.True(texts.TryTake(out string? text, s_text), "no text from the guest");
        return text!;
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(s_text).Token;

    private static long Bytes(string text) => System.Text.Encoding.UTF8.GetByteCount(text);

    /// <summary>About <paramref name="bytes"/> bytes of UTF-8 lines mixing ASCII, accents, CJK and emoji, different per seed.</summary>
    internal static string Text(int bytes, int seed)
    {
        var random = new Random(seed);
        string[] words = ["alpha", "b\u00eata", "\u03b3\u03ac\u03bc\u03bc\u03b1", "\u65e5\u672c", "\U0001F680", "tab\t", "quote\"", "z\u00fcrich", "0123456789"];
        var text = new StringBuilder();
        int size = 0;
        int line = 0;
        while (size < bytes)
        {
            string piece = random.Next(12) == 0 ? $"\n{++line}: " : words[random.Next(words.Length)] + " ";
            text.Append(piece);
            size += System.Text.Encoding.UTF8.GetByteCount(piece);
        }
        return text.ToString();
    }
}
