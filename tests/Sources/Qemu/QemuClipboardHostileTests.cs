using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using WebConsole.Region;
using WebConsole.Sources.Clipboard;
using WebConsole.Sources.Qemu;

namespace WebConsole.Tests.Sources.Qemu;

/// <summary>
/// The clipboard against a QEMU that lies (<see cref="QemuFakeDisplay"/> on a bus): texts over the
/// limit, bad UTF-8, a wrong MIME type, huge MIME lists, bad selections and floods of grabs are
/// refused and counted, nothing reaches a subscriber, and the connection and the next honest text
/// go on. Also the honest exchange: serials as QEMU counts them, and QEMU's Request answered with
/// the browser's text.
/// </summary>
public sealed class QemuClipboardHostileTests
{
    private const int Limit = 4096;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task BrowserText_IsGrabbedWithTheNextSerial_AndGivenToQemusRequest()
    {
        using var fake = new QemuFakeDisplay(isAbsolute: false);
        using QemuSource source = ConnectedSource(fake, out _);
        // QEMU's guest copied with serial 5: the browser's grab must come after it.
        Grab(fake, 0, 5, DBusNames.TextMime);
        await WaitAsync(() => fake.ClipboardSnapshot().Any(c => c.StartsWith("Request(", StringComparison.Ordinal)));
        Assert.True(await source.Clipboard!.SetTextAsync("pasted \u00e9\U0001F600", CancellationToken.None));
        Assert.Contains($"Grab(0,6,{DBusNames.TextMime})", fake.ClipboardSnapshot());

        fake.SendToSource("Request", "uas", w =>
        {
            w.WriteUInt32(0);
            int mimes = w.BeginArray(4);
            w.WriteString(DBusNames.TextMime);
            w.EndArray(mimes);
        });
        await WaitAsync(() => fake.AnswersSnapshot().Any(a => a.StartsWith("ok:", StringComparison.Ordinal)));
        Assert.Equal($"ok:{DBusNames.TextMime}:pasted \u00e9\U0001F600", fake.AnswersSnapshot().Single(a => a.StartsWith("ok:", StringComparison.Ordinal)));
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount("pasted \u00e9\U0001F600"), source.QemuClipboard.BytesToGuest);
        Assert.Equal("from the guest".Length, source.QemuClipboard.BytesFromGuest);

        // A guest grab below our serial lost the race: ignored (no Request for it).
        int requests = Requests(fake);
        Grab(fake, 0, 4, DBusNames.TextMime);
        Grab(fake, 1, 9, DBusNames.TextMime); // PRIMARY: not carried
        await WaitAsync(() => fake.AnswersSnapshot().Length >= 4);
        await Task.Delay(200);
        Assert.Equal(requests, Requests(fake));
        Assert.Equal(0, source.QemuClipboard.Rejections);
    }

    [Fact]
    public async Task OversizedText_BadUtf8_AndWrongMime_AreRefused_AndTheNextTextComes()
    {
        using var fake = new QemuFakeDisplay(isAbsolute: false);
        using QemuSource source = ConnectedSource(fake, out BlockingCollection<string> texts);
        uint serial = 1;

        // Over the clipboard limit but within the connection's: refused by its length, before any copy.
        fake.ClipboardText = new byte[Limit + 1];
        Array.Fill(fake.ClipboardText, (byte)'a');
        await RefusedAsync(fake, source, serial++);
        // Far over the connection's limit (64 KiB): skipped unread, and the waiting Request ends at once.
        fake.ClipboardText = new byte[1 << 20];
        var timer = Stopwatch.StartNew();
        await RefusedAsync(fake, source, serial++);
        Assert.True(timer.Elapsed < QemuClipboard.RequestTimeout, $"{timer.Elapsed}: the refused reply did not end the call");
        // Not UTF-8: an overlong slash, a lone continuation byte, a surrogate half.
        foreach (byte[] bad in new[] { new byte[] { 0xC0, 0xAF }, [0x61, 0x80], [0xED, 0xA0, 0x80] })
        {
            fake.ClipboardText = bad;
            await RefusedAsync(fake, source, serial++);
        }
        // A MIME type that is not the one asked for.
        fake.RequestAnswer = (w, replySerial) =>
        {
            w.BeginReturn(9999, replySerial, "say");
            w.WriteString("image/png");
            w.WriteBytes("x"u8);
        };
        await RefusedAsync(fake, source, serial++);
        // A wrong signature.
        fake.RequestAnswer = (w, replySerial) =>
        {
            w.BeginReturn(9999, replySerial, "s");
            w.WriteString("text");
        };
        await RefusedAsync(fake, source, serial++);
        Assert.Empty(texts);

        fake.RequestAnswer = null;
        fake.ClipboardText = "honest \u00fc"u8.ToArray();
        Grab(fake, 0, serial, DBusNames.TextMime);
        Assert.True(texts.TryTake(out string? text, s_timeout));
        Assert.Equal("honest \u00fc", text);
        Assert.Equal(ClipboardDirections.Both, source.Clipboard!.Directions);
    }

    [Fact]
    public async Task HugeMimeLists_LongMimes_BadSelections_AndBadSignatures_AreRefused()
    {
        using var fake = new QemuFakeDisplay(isAbsolute: false);
        using QemuSource source = ConnectedSource(fake, out BlockingCollection<string> texts);
        string[] many = Enumerable.Range(0, 3_000).Select(i => $"x/{i}").Append(DBusNames.TextMime).ToArray();
        Grab(fake, 0, 1, many);
        Grab(fake, 0, 2, new string('m', 1000), DBusNames.TextMime);
        Grab(fake, 7, 3, DBusNames.TextMime);
        fake.SendToSource("Grab", "u", w => w.WriteUInt32(0));
        fake.SendToSource("Request", "uas", w =>
        {
            w.WriteUInt32(0xFFFFFFFF);
            w.WriteUInt32(0);
        });
        fake.SendToSource("Frobnicate", "", null);
        await WaitAsync(() => fake.AnswersSnapshot().Length >= 6);
        Assert.All(fake.AnswersSnapshot(), a => Assert.Equal(DBusNames.InvalidArgs, a));
        Assert.Equal(6, source.QemuClipboard.Rejections);
        Assert.Equal(0, Requests(fake));
        Assert.Empty(texts);

        Grab(fake, 0, 4, DBusNames.TextMime);
        Assert.True(texts.TryTake(out string? text, s_timeout));
        Assert.Equal("from the guest", text);
    }

    [Fact]
    public async Task GrabFlood_IsRateLimited_AndCoalesced()
    {
        using var fake = new QemuFakeDisplay(isAbsolute: false);
        using QemuSource source = ConnectedSource(fake, out BlockingCollection<string> texts);
        const int flood = 500;
        var timer = Stopwatch.StartNew();
        for (uint i = 1; i <= flood; i++)
        {
            Grab(fake, 0, i, DBusNames.TextMime);
        }
        await WaitAsync(() => fake.AnswersSnapshot().Length >= flood);
        double seconds = timer.Elapsed.TotalSeconds;
        var sinceEmptied = Stopwatch.StartNew(); // the flood emptied the budget
        string[] answers = fake.AnswersSnapshot();
        int accepted = answers.Count(a => a == "ok");
        // A burst of 20, then 10 a second; the rest refused.
        Assert.InRange(accepted, QemuClipboard.GrabBurst, QemuClipboard.GrabBurst + (int)Math.Ceiling(seconds * QemuClipboard.GrabsPerSecond) + 1);
        Assert.Equal(flood - accepted, source.QemuClipboard.Rejections);
        // One Request at a time, each for the newest grab: far fewer Requests than accepted grabs is fine, more is not.
        await Task.Delay(300);
        Assert.InRange(Requests(fake), 1, accepted);
        Assert.InRange(texts.Count, 1, accepted);

        // Requests share the budget: a flood of them gets errors, not a megabyte each.
        Assert.True(await source.Clipboard!.SetTextAsync(new string('r', Limit), CancellationToken.None));
        lock (fake.Answers)
        {
            fake.Answers.Clear();
        }
        for (int i = 0; i < 100; i++)
        {
            fake.SendToSource("Request", "uas", w =>
            {
                w.WriteUInt32(0);
                int mimes = w.BeginArray(4);
                w.WriteString(DBusNames.TextMime);
                w.EndArray(mimes);
            });
        }
        await WaitAsync(() => fake.AnswersSnapshot().Length >= 100);
        // The grabs emptied the budget: only what refilled since (10 a second) is answered.
        int requestsAnswered = fake.AnswersSnapshot().Count(a => a.StartsWith("ok:", StringComparison.Ordinal));
        Assert.InRange(requestsAnswered, 0, 2 + (int)Math.Ceiling(sinceEmptied.Elapsed.TotalSeconds * QemuClipboard.GrabsPerSecond));
        Assert.True(requestsAnswered < 50, $"{requestsAnswered} of 100 flooding Requests answered");

        // The bucket fills again: a grab a little later is taken.
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        while (texts.TryTake(out _))
        {
        }
        Grab(fake, 0, flood + 1, DBusNames.TextMime);
        Assert.True(texts.TryTake(out string? text, s_timeout));
        Assert.Equal("from the guest", text);
    }

    /// <summary>Clipboard calls with random bytes in their bodies: refused one by one, the connection stays.</summary>
    [Fact]
    public async Task MutatedClipboardCalls_AreRefused_AndTheConnectionStays()
    {
        using var fake = new QemuFakeDisplay(isAbsolute: false);
        using QemuSource source = ConnectedSource(fake, out BlockingCollection<string> texts);
        var random = new Random(2112);
        const int calls = 3000;
        for (int i = 0; i < calls; i++)
        {
            int kind = random.Next(3);
            string[] mimes = Enumerable.Range(0, random.Next(4)).Select(n => n == 0 ? DBusNames.TextMime : $"x/{random.Next(1000)}").ToArray();
            void Mutate(Span<byte> body)
            {
                for (int flips = random.Next(1, 5); flips > 0 && body.Length > 0; flips--)
                {
                    body[random.Next(body.Length)] = (byte)random.Next(256);
                }
            }
            switch (kind)
            {
                case 0:
                    fake.SendMutatedToSource("Grab", "uuas", w =>
                    {
                        w.WriteUInt32((uint)random.Next(4));
                        w.WriteUInt32((uint)random.Next());
                        WriteMimes(w, mimes);
                    }, Mutate);
                    break;
                case 1:
                    fake.SendMutatedToSource("Request", "uas", w =>
                    {
                        w.WriteUInt32((uint)random.Next(4));
                        WriteMimes(w, mimes);
                    }, Mutate);
                    break;
                default:
                    fake.SendMutatedToSource("Release", "u", w => w.WriteUInt32((uint)random.Next(4)), Mutate);
                    break;
            }
        }
        await WaitAsync(() => fake.AnswersSnapshot().Length >= calls);
        Assert.True(source.QemuClipboard.Rejections > 0);
        // Still the first connection (no second Register), and an honest grab still brings its text.
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        while (texts.TryTake(out _))
        {
        }
        Grab(fake, 0, uint.MaxValue, DBusNames.TextMime);
        Assert.True(texts.TryTake(out string? text, s_timeout));
        Assert.Equal("from the guest", text);
        Assert.Single(fake.ClipboardSnapshot(), c => c == "Register()");
    }

    [Fact]
    public async Task Directions_None_UntilTheAgentShowsItself_OnABus()
    {
        using var fake = new QemuFakeDisplay(isAbsolute: false);
        Assert.True(QemuSourceTarget.TryParse($"dbus=unix:path={fake.Path}", out QemuSourceTarget? target, out string? error), error);
        using var source = new QemuSource(target!, new PixelBudget(1 << 20, 1 << 20), Limit, TimeProvider.System, NullLogger<QemuSource>.Instance);
        // What downstream code sees through the interface, not the source's type.
        Assert.Same(source.QemuClipboard, ((WebConsole.Sources.IFramebufferSource)source).Clipboard);
        int changes = 0;
        source.Clipboard!.Changed += () => Interlocked.Increment(ref changes);
        await WaitAsync(() => source.Clipboard.Reason?.StartsWith("no clipboard agent", StringComparison.Ordinal) == true);
        Assert.Equal(ClipboardDirections.None, source.Clipboard.Directions);
        Assert.False(await source.Clipboard.SetTextAsync("nobody yet", CancellationToken.None));
        // QEMU resets the serials when a vdagent with the clipboard connects: that is the agent.
        fake.SendToSource("Register", "", null);
        await WaitAsync(() => source.Clipboard.Directions == ClipboardDirections.Both);
        Assert.Null(source.Clipboard.Reason);
        Assert.True(changes >= 2);
        Assert.False(await source.Clipboard.SetTextAsync(new string('x', Limit + 1), CancellationToken.None));
        Assert.False(await source.Clipboard.SetTextAsync("lone \ud800 surrogate", CancellationToken.None));
    }

    private static async Task RefusedAsync(QemuFakeDisplay fake, QemuSource source, uint serial)
    {
        long before = source.QemuClipboard.Rejections;
        Grab(fake, 0, serial, DBusNames.TextMime);
        await WaitAsync(() => source.QemuClipboard.Rejections > before);
        Assert.Equal(before + 1, source.QemuClipboard.Rejections);
    }

    private static void Grab(QemuFakeDisplay fake, uint selection, uint serial, params string[] mimes) =>
        fake.SendToSource("Grab", "uuas", w =>
        {
            w.WriteUInt32(selection);
            w.WriteUInt32(serial);
            int array = w.BeginArray(4);
            foreach (string mime in mimes)
            {
                w.WriteString(mime);
            }
            w.EndArray(array);
        });

    private static void WriteMimes(DBusMessageWriter w, string[] mimes)
    {
        int array = w.BeginArray(4);
        foreach (string mime in mimes)
        {
            w.WriteString(mime);
        }
        w.EndArray(array);
    }

    private static int Requests(QemuFakeDisplay fake) =>
        fake.ClipboardSnapshot().Count(c => c.StartsWith("Request(", StringComparison.Ordinal));

    /// <summary>A source on the fake's bus whose clipboard works both ways (QEMU's reset after Register stands for the agent).</summary>
    private static QemuSource ConnectedSource(QemuFakeDisplay fake, out BlockingCollection<string> texts)
    {
        Assert.True(QemuSourceTarget.TryParse($"dbus=unix:path={fake.Path}", out QemuSourceTarget? target, out string? error), error);
        var source = new QemuSource(target!, new PixelBudget(1 << 20, 1 << 20), Limit, TimeProvider.System, NullLogger<QemuSource>.Instance);
        var waited = Stopwatch.StartNew();
        while (!fake.ClipboardSnapshot().Contains("Register()"))
        {
            Assert.True(waited.Elapsed < s_timeout, $"never registered: {source.Clipboard!.Reason}");
            Thread.Sleep(10);
        }
        while (source.Clipboard!.Reason == "not connected to QEMU")
        {
            Assert.True(waited.Elapsed < s_timeout, "Register never completed");
            Thread.Sleep(10);
        }
        fake.SendToSource("Register", "", null);
        while (source.Clipboard.Directions != ClipboardDirections.Both)
        {
            Assert.True(waited.Elapsed < s_timeout, $"never both ways: {source.Clipboard.Reason}");
            Thread.Sleep(10);
        }
        while (fake.AnswersSnapshot().Length == 0)
        {
            Assert.True(waited.Elapsed < s_timeout, "the reset was not answered");
            Thread.Sleep(10);
        }
        lock (fake.Answers)
        {
            fake.Answers.Clear(); // the tests count the answers to their own calls
        }
        var received = new BlockingCollection<string>();
        source.Clipboard.Subscribe(received.Add);
        texts = received;
        return source;
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < s_timeout, "timed out");
            await Task.Delay(10);
        }
    }
}
