using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using WebConsole.Sources;
using WebConsole.Sources.Clipboard;
using WebConsole.Sources.X11;
using WebConsole.Testing;
using Xunit.Abstractions;

namespace WebConsole.Tests.Sources;

/// <summary>The X clipboard against a real Xvfb, with Debian's xclip as the other client.</summary>
public sealed class X11ClipboardTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private static X11Clipboard Open(Xvfb x, int maxBytes = ClipboardOptions.DefaultMaxBytes, ClipboardSelections selections = ClipboardSelections.Clipboard) =>
        new(x.Display, selections, maxBytes, TimeProvider.System, NullLogger<X11Clipboard>.Instance);

    private static void WaitReady(X11Clipboard clipboard)
    {
        var waited = Stopwatch.StartNew();
        while (clipboard.Directions != ClipboardDirections.Both)
        {
            Assert.True(waited.Elapsed < s_timeout, $"the clipboard never became ready ({clipboard.Reason})");
            Thread.Sleep(20);
        }
    }

    private static string Take(BlockingCollection<string> texts)
    {
        Assert.True(texts.TryTake(out string? text, s_timeout), "no guest text arrived");
        return text!;
    }

    /// <summary>A text of <paramref name="bytes"/> UTF-8 bytes with non-ASCII characters all through it, seeded.</summary>
    internal static string LargeText(int bytes, int seed = 21)
    {
        var random = new Random(seed);
        var text = new System.Text.StringBuilder(bytes);
        int size = 0;
        string[] pieces = ["é", "ß", "€", "日本", "😀", "line\n", "abc ", "xyz\t"];
        while (size < bytes - 8)
        {
            string piece = pieces[random.Next(pieces.Length)];
            text.Append(piece);
            size += System.Text.Encoding.UTF8.GetByteCount(piece);
        }
        while (size < bytes)
        {
            text.Append('.');
            size++;
        }
        return text.ToString();
    }

    [Fact]
    public void XclipCopy_ReachesTheSubscriber_NonAscii()
    {
        using var xvfb = new Xvfb("320x200x24");
        using X11Clipboard clipboard = Open(xvfb);
        var texts = new BlockingCollection<string>();
        using IDisposable _ = clipboard.Subscribe(texts.Add);
        WaitReady(clipboard);

        XClip.Copy(xvfb, "grüße, 日本語 😀\nline two");
        Assert.Equal("grüße, 日本語 😀\nline two", Take(texts));

        XClip.Copy(xvfb, "second");
        Assert.Equal("second", Take(texts));
    }

    [Fact]
    public void XclipCopy_200KB_ReachesTheSubscriber()
    {
        using var xvfb = new Xvfb("320x200x24");
        using X11Clipboard clipboard = Open(xvfb);
        var texts = new BlockingCollection<string>();
        using IDisposable _ = clipboard.Subscribe(texts.Add);
        WaitReady(clipboard);

        string large = LargeText(200 * 1024);
        var time = Stopwatch.StartNew();
        XClip.Copy(xvfb, large);
        Assert.Equal(large, Take(texts));
        output.WriteLine($"200 KB from xclip to the subscriber: {time.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void XclipCopy_AboveItsRequestSize_ComesThroughIncr()
    {
        // xclip sends through INCR above its extended request size / 4 (about 1 MiB on Xvfb).
        using var xvfb = new Xvfb("320x200x24");
        using X11Clipboard clipboard = Open(xvfb, maxBytes: 2 * 1024 * 1024);
        var texts = new BlockingCollection<string>();
        using IDisposable _ = clipboard.Subscribe(texts.Add);
        WaitReady(clipboard);

        string large = LargeText(1536 * 1024);
        var time = Stopwatch.StartNew();
        XClip.Copy(xvfb, large);
        Assert.Equal(large, Take(texts));
        Assert.Equal(1, clipboard.IncrFetched);
        output.WriteLine($"1.5 MB from xclip through INCR: {time.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void GuestTextOverTheLimit_IsDropped_AndTheNextOneComes()
    {
        using var xvfb = new Xvfb("320x200x24");
        using X11Clipboard clipboard = Open(xvfb, maxBytes: 64 * 1024);
        var texts = new BlockingCollection<string>();
        using IDisposable _ = clipboard.Subscribe(texts.Add);
        WaitReady(clipboard);

        XClip.Copy(xvfb, new string('a', 100 * 1024)); // in one property
        XClip.Copy(xvfb, new string('b', 1536 * 1024)); // through INCR
        XClip.Copy(xvfb, "small");
        Assert.Equal("small", Take(texts));
        Assert.Empty(texts);
    }

    [Fact]
    public void GuestTextNotUtf8_IsDropped()
    {
        using var xvfb = new Xvfb("320x200x24");
        using X11Clipboard clipboard = Open(xvfb);
        var texts = new BlockingCollection<string>();
        using IDisposable _ = clipboard.Subscribe(texts.Add);
        WaitReady(clipboard);

        XClip.Copy(xvfb, [0x61, 0xC3, 0x28, 0xFF]);
        XClip.Copy(xvfb, "after");
        Assert.Equal("after", Take(texts));
    }

    [Theory]
    [InlineData(20)]
    [InlineData(200 * 1024)]
    public async Task SetText_XclipPastesIt(int bytes)
    {
        using var xvfb = new Xvfb("320x200x24");
        using X11Clipboard clipboard = Open(xvfb);
        var texts = new BlockingCollection<string>();
        using IDisposable _ = clipboard.Subscribe(texts.Add);
        WaitReady(clipboard);

        string text = bytes < 100 ? "ünïcødé ✓ 日本" : LargeText(bytes);
        var time = Stopwatch.StartNew();
        Assert.True(await clipboard.SetTextAsync(text, CancellationToken.None).AsTask().WaitAsync(s_timeout));
        long set = time.ElapsedMilliseconds;
        Assert.Equal(text, System.Text.Encoding.UTF8.GetString(XClip.Paste(xvfb)));
        Assert.Equal(bytes > 64 * 1024 ? 1 : 0, clipboard.IncrServed);
        output.WriteLine($"{System.Text.Encoding.UTF8.GetByteCount(text)} bytes set in {set} ms, pasted by xclip after {time.ElapsedMilliseconds} ms");
        Assert.Empty(texts); // our own selection is not echoed back
    }

    [Fact]
    public async Task SetText_AnswersTargetsAndString()
    {
        using var xvfb = new Xvfb("320x200x24");
        using X11Clipboard clipboard = Open(xvfb);
        using IDisposable _ = clipboard.Subscribe(static _ => { });
        WaitReady(clipboard);

        Assert.True(await clipboard.SetTextAsync("café €", CancellationToken.None).AsTask().WaitAsync(s_timeout));
        string targets = System.Text.Encoding.ASCII.GetString(XClip.Paste(xvfb, target: "TARGETS"));
        foreach (string target in (string[])["TARGETS", "UTF8_STRING", "STRING", "TEXT"])
        {
            Assert.Contains(target, targets, StringComparison.Ordinal);
        }
        Assert.Equal(System.Text.Encoding.Latin1.GetBytes("café ?"), XClip.Paste(xvfb, target: "STRING"));
        Assert.Equal("café €", System.Text.Encoding.UTF8.GetString(XClip.Paste(xvfb, target: "TEXT")));
    }

    [Fact]
    public async Task AnotherCopyAfterSetText_ReachesTheSubscriber()
    {
        using var xvfb = new Xvfb("320x200x24");
        using X11Clipboard clipboard = Open(xvfb);
        var texts = new BlockingCollection<string>();
        using IDisposable _ = clipboard.Subscribe(texts.Add);
        WaitReady(clipboard);

        Assert.True(await clipboard.SetTextAsync("ours", CancellationToken.None).AsTask().WaitAsync(s_timeout));
        XClip.Copy(xvfb, "theirs");
        Assert.Equal("theirs", Take(texts));
    }

    [Fact]
    public void ServerGone_DirectionsNone_ThenBackByItself()
    {
        using var xvfb = new Xvfb("320x200x24");
        using X11Clipboard clipboard = Open(xvfb);
        var texts = new BlockingCollection<string>();
        using IDisposable _ = clipboard.Subscribe(texts.Add);
        WaitReady(clipboard);
        xvfb.Kill();
        var waited = Stopwatch.StartNew();
        while (clipboard.Directions != ClipboardDirections.None)
        {
            Assert.True(waited.Elapsed < s_timeout, "the clipboard did not notice the server going");
            Thread.Sleep(20);
        }
        Assert.Contains("waiting for X server", clipboard.Reason, StringComparison.Ordinal);
        xvfb.Start();
        WaitReady(clipboard);
        XClip.Copy(xvfb, "again");
        Assert.Equal("again", Take(texts));
    }

    [Fact]
    public async Task PrimaryByOption_IsWatchedAndSet_TogetherWithClipboard()
    {
        using var xvfb = new Xvfb("320x200x24");
        using X11Clipboard clipboard = Open(xvfb, selections: ClipboardSelections.Both);
        var texts = new BlockingCollection<string>();
        using IDisposable _ = clipboard.Subscribe(texts.Add);
        WaitReady(clipboard);

        XClip.Copy(xvfb, "selected with the mouse", "primary");
        Assert.Equal("selected with the mouse", Take(texts));
        Assert.True(await clipboard.SetTextAsync("both selections", CancellationToken.None).AsTask().WaitAsync(s_timeout));
        Assert.Equal("both selections", System.Text.Encoding.UTF8.GetString(XClip.Paste(xvfb, "primary")));
        Assert.Equal("both selections", System.Text.Encoding.UTF8.GetString(XClip.Paste(xvfb, "clipboard")));
    }

    [Fact]
    public void ClipboardOnly_IgnoresPrimary()
    {
        using var xvfb = new Xvfb("320x200x24");
        using X11Clipboard clipboard = Open(xvfb);
        var texts = new BlockingCollection<string>();
        using IDisposable _ = clipboard.Subscribe(texts.Add);
        WaitReady(clipboard);
        XClip.Copy(xvfb, "primary only", "primary");
        XClip.Copy(xvfb, "clipboard");
        Assert.Equal("clipboard", Take(texts));
        Assert.Empty(texts);
    }

    [Fact]
    public void TextHeldBeforeConnecting_IsFetchedAtConnect()
    {
        using var xvfb = new Xvfb("320x200x24");
        XClip.Copy(xvfb, "copied before the console came");
        using X11Clipboard clipboard = Open(xvfb);
        var texts = new BlockingCollection<string>();
        using IDisposable _ = clipboard.Subscribe(texts.Add);
        Assert.Equal("copied before the console came", Take(texts));
    }

    [Fact]
    public void XwdConsoleWithADisplay_HasTheDisplaysClipboard_WithoutOneNone()
    {
        using var xvfb = new Xvfb("320x200x24");
        using ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = new FramebufferSourceFactory(new WebConsole.Sources.Demo.DemoRegionPaths(), new WebConsole.Region.PixelBudget(1 << 24, 1 << 26),
            TimeProvider.System, NullLoggerFactory.Instance, Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(services),
            Microsoft.Extensions.Options.Options.Create(new ClipboardOptions { MaxBytes = 1234 }));
        Assert.True(WebConsole.Consoles.ConsoleDefinition.TryCreate("c", $"xwd:{xvfb.ScreenFile}", xvfb.Display, out var withDisplay, []));
        Assert.True(WebConsole.Consoles.ConsoleDefinition.TryCreate("c", $"xwd:{xvfb.ScreenFile}", null, out var without, []));
        using WebConsole.Sources.IFramebufferSource source = factory.Create("c", withDisplay!);
        using WebConsole.Sources.IFramebufferSource plain = factory.Create("c", without!);
        Assert.Null(plain.Clipboard);
        Assert.NotNull(source.Clipboard);
        var texts = new BlockingCollection<string>();
        using IDisposable _ = source.Clipboard!.Subscribe(texts.Add);
        XClip.Copy(xvfb, "xwd's display");
        Assert.Equal("xwd's display", Take(texts));
        XClip.Copy(xvfb, new string('x', 2000)); // over the factory's MaxBytes: dropped
        XClip.Copy(xvfb, "after");
        Assert.Equal("after", Take(texts));
    }

    /// <summary>A hostile owner: it takes CLIPBOARD and never answers a request for it.</summary>
    [Fact]
    public unsafe void AnOwnerThatNeverAnswers_IsGivenUp_AndTheNextOwnerIsRead()
    {
        using var xvfb = new Xvfb("320x200x24");
        using X11Clipboard clipboard = Open(xvfb);
        var texts = new BlockingCollection<string>();
        using IDisposable subscription = clipboard.Subscribe(texts.Add);
        WaitReady(clipboard);

        using var deadline = new PeerDeadline(TimeProvider.System);
        using X11Connection silent = X11Connection.TryOpen(xvfb.Display, deadline, TimeSpan.FromSeconds(5), out string? reason)
            ?? throw new InvalidOperationException(reason);
        uint window = silent.NewId();
        Assert.True(silent.Check(XcbNative.xcb_create_window_checked(silent.Handle, 0, window, silent.Root, 0, 0, 1, 1, 0,
            XcbNative.WindowClassInputOnly, 0, 0, null)));
        byte[] name = "CLIPBOARD"u8.ToArray();
        uint atom;
        fixed (byte* p = name)
        {
            byte* reply = XcbNative.xcb_intern_atom_reply(silent.Handle, XcbNative.xcb_intern_atom(silent.Handle, 0, (ushort)name.Length, p), 0);
            atom = *(uint*)(reply + 8);
            System.Runtime.InteropServices.NativeMemory.Free(reply);
        }
        _ = XcbNative.xcb_set_selection_owner(silent.Handle, window, atom, 0);
        silent.Flush();
        Thread.Sleep(300);

        var time = Stopwatch.StartNew();
        XClip.Copy(xvfb, "after the silent one");
        Assert.True(texts.TryTake(out string? text, TimeSpan.FromSeconds(15)), "the next owner's text never came");
        Assert.Equal("after the silent one", text);
        output.WriteLine($"the next owner's text came {time.ElapsedMilliseconds} ms after the silent owner");
    }
}
