using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using WebConsole.Region;
using WebConsole.Sources.X11;
using WebConsole.Sources.Xwd;
using WebConsole.Sources;
using WebConsole.Testing;
using WebConsole.Tests.Security;

namespace WebConsole.Tests.Sources;

/// <summary>The xwd source told of changes by X DAMAGE on a real Xvfb: it sleeps while the screen is still and reads only what changed.</summary>
public sealed class XvfbDamageTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    /// <summary>Counts the bytes the source reads from Xvfb's file.</summary>
    private sealed class CountingStore(string path) : IXwdStore
    {
        private readonly XwdFileStore _inner = new(path);

        public long BytesRead;

        public string Name => _inner.Name;

        public long Size => _inner.Size;

        public bool Refresh(out bool lost, out string? waitingReason) => _inner.Refresh(out lost, out waitingReason);

        public bool ReadAt(long offset, Span<byte> dest)
        {
            BytesRead += dest.Length;
            return _inner.ReadAt(offset, dest);
        }

        public void Dispose() => _inner.Dispose();
    }

    private static XwdSource Open(Xvfb xvfb, CountingStore store, ILoggerFactory? loggers = null) =>
        new(store, null, TimeProvider.System, NullLogger<XwdSource>.Instance, null,
            new X11DamageWatch(xvfb.Display, TimeProvider.System, (loggers ?? NullLoggerFactory.Instance).CreateLogger<X11DamageWatch>()));

    [Fact]
    public void XwdWithDisplay_StillScreenReadsNoPixelsAndSleepsUntilDamage()
    {
        using var xvfb = new Xvfb("640x480x24");
        var store = new CountingStore(xvfb.ScreenFile);
        using XwdSource source = Open(xvfb, store);
        xvfb.Run("xsetroot", "-solid", "#336699");
        XvfbSourceTests.PollUntilEqual(xvfb, source);
        Assert.True(source.UsesDamage, "X damage is not in use");

        // Still: each poll reads the header only, and a wait lasts its whole timeout.
        source.Poll();
        store.BytesRead = 0;
        var still = Stopwatch.StartNew();
        for (int i = 0; i < 5; i++)
        {
            source.WaitForUpdate(TimeSpan.FromMilliseconds(100));
            Assert.Equal(RegionChange.None, source.Poll());
        }
        Assert.True(still.ElapsedMilliseconds >= 450, $"5 waits of 100 ms on a still screen took {still.ElapsedMilliseconds} ms");
        Assert.True(store.BytesRead <= 5 * XwdHeader.FixedSize, $"a still screen read {store.BytesRead} bytes in 5 polls");

        // A small window appears: the wait ends long before its timeout, and only its rows are read.
        store.BytesRead = 0;
        var waited = Stopwatch.StartNew();
        xvfb.Spawn("xlogo", "-geometry", "40x40+100+200");
        source.WaitForUpdate(s_timeout);
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(5), $"the damage did not wake the wait ({waited.ElapsedMilliseconds} ms)");
        XvfbSourceTests.PollUntilEqual(xvfb, source);
        long frameBytes = 640L * 480 * 4;
        // Rows of the window only (read again while xlogo was still drawing): a poll without damage reads the whole frame.
        Assert.True(store.BytesRead < frameBytes, $"read {store.BytesRead} bytes for a 40x40 window (the frame is {frameBytes})");
        Assert.All(source.Damage, r => Assert.InRange(r.Y, 150, 260));
    }

    [Fact]
    public void XwdWithDisplayWithoutDamage_PollsAndSaysSoOnce()
    {
        using var xvfb = new Xvfb("320x240x24", extra: ["-extension", "DAMAGE"]);
        using var logs = new CapturedLogs();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var store = new CountingStore(xvfb.ScreenFile);
        using XwdSource source = Open(xvfb, store, loggers);
        xvfb.Run("xsetroot", "-solid", "#cc3311");
        XvfbSourceTests.PollUntilEqual(xvfb, source);
        Assert.False(source.UsesDamage);
        xvfb.Run("xsetroot", "-solid", "#113377");
        XvfbSourceTests.PollUntilEqual(xvfb, source);
        string[] polling = logs.Entries.Where(e => e.Contains("polling the screen", StringComparison.Ordinal)).ToArray();
        Assert.Single(polling);
        Assert.Contains("no DAMAGE extension", polling[0], StringComparison.Ordinal);
    }

    [Fact]
    public void XwdWithDisplay_XvfbRestart_DamageComesBack()
    {
        using var xvfb = new Xvfb("320x200x24");
        var store = new CountingStore(xvfb.ScreenFile);
        using XwdSource source = Open(xvfb, store);
        xvfb.Run("xsetroot", "-solid", "#102030");
        XvfbSourceTests.PollUntilEqual(xvfb, source);
        Assert.True(source.UsesDamage);

        xvfb.Kill();
        source.Poll();
        Assert.Equal(RegionStatus.Waiting, source.Status);
        xvfb.Start();
        xvfb.Run("xsetroot", "-solid", "#405060");
        XvfbSourceTests.PollUntilEqual(xvfb, source);
        var waited = Stopwatch.StartNew();
        while (!source.UsesDamage && waited.Elapsed < s_timeout)
        {
            source.WaitForUpdate(TimeSpan.FromMilliseconds(100));
            source.Poll();
        }
        Assert.True(source.UsesDamage, "X damage did not come back after the restart");
        xvfb.Run("xsetroot", "-solid", "#607080");
        XvfbSourceTests.PollUntilEqual(xvfb, source);
    }
}
