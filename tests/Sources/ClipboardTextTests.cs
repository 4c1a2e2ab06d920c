using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using WebConsole.Consoles;
using WebConsole.Sources.Clipboard;
using WebConsole.Streaming;
using WebConsole.Telemetry;
using WebConsole.Tests.Streaming;

namespace WebConsole.Tests.Sources;

/// <summary>The checks every clipboard text passes, the configuration's names, and the intersection of what a viewer may do.</summary>
public sealed class ClipboardTextTests
{
    [Fact]
    public void TryDecode_TakesValidUtf8UpToTheLimit()
    {
        byte[] text = "grüße 日本 😀"u8.ToArray();
        Assert.Equal("grüße 日本 😀", ClipboardText.TryDecode(text, text.Length, out string? problem));
        Assert.Null(problem);
        Assert.Equal("", ClipboardText.TryDecode([], 0, out _));
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0xC3, 0x28 }, "not valid UTF-8")] // a broken sequence
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, "not valid UTF-8")] // a surrogate
    [InlineData(new byte[] { 0xC0, 0xAF }, "not valid UTF-8")] // overlong
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, "not valid UTF-8")] // above U+10FFFF
    [InlineData(new byte[] { 0x61, 0x62, 0x63, 0x64, 0x65 }, "over the limit of 4 bytes")]
    public void TryDecode_RefusesWithTheProblemInWords(byte[] bytes, string expected)
    {
        Assert.Null(ClipboardText.TryDecode(bytes, 4, out string? problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("abcde", problem, StringComparison.Ordinal); // sizes only, never the text
    }

    [Fact]
    public void Fits_CountsUtf8Bytes_AndRefusesALoneSurrogate()
    {
        Assert.True(ClipboardText.Fits("日本", 6, out int bytes));
        Assert.Equal(6, bytes);
        Assert.False(ClipboardText.Fits("日本", 5, out _));
        Assert.False(ClipboardText.Fits("a\uD800b", 100, out _));
    }

    [Theory]
    [InlineData("none", ClipboardDirections.None)]
    [InlineData("to-guest", ClipboardDirections.ToGuest)]
    [InlineData("From-Guest", ClipboardDirections.FromGuest)]
    [InlineData(" both ", ClipboardDirections.Both)]
    public void Directions_ParseAndFormat(string text, ClipboardDirections expected)
    {
        Assert.True(ClipboardText.TryParseDirections(text, out ClipboardDirections parsed));
        Assert.Equal(expected, parsed);
        Assert.Equal(text.Trim().ToLowerInvariant(), ClipboardText.Format(parsed));
        Assert.False(ClipboardText.TryParseDirections("all", out _));
        Assert.False(ClipboardText.TryParseDirections(null, out _));
    }

    [Fact]
    public void Upload_ChecksTheSizeBeforeAllocating_AndThePiecesOrder()
    {
        var upload = new ClipboardUpload();
        Assert.False(upload.TryAppend(0, 101, new byte[1], 100, out string? problem, out bool tooLarge));
        Assert.True(tooLarge);
        Assert.Contains("over the limit of 100 bytes", problem, StringComparison.Ordinal);

        Assert.True(upload.TryAppend(0, 6, "abc"u8, 100, out _, out _));
        Assert.False(upload.Complete);
        Assert.False(upload.TryAppend(2, 6, "def"u8, 100, out problem, out _)); // a gap
        Assert.Contains("out of order", problem, StringComparison.Ordinal);

        Assert.True(upload.TryAppend(0, 6, "abc"u8, 100, out _, out _));
        Assert.False(upload.TryAppend(3, 6, "defg"u8, 100, out problem, out _));
        Assert.Contains("overruns", problem, StringComparison.Ordinal);

        Assert.True(upload.TryAppend(0, 6, "abc"u8, 100, out _, out _));
        Assert.True(upload.TryAppend(3, 6, "def"u8, 100, out _, out _));
        Assert.True(upload.Complete);
        Assert.Equal("abcdef"u8.ToArray(), upload.Bytes.ToArray());
    }

    [Fact]
    public void OptionsValidator_NamesTheKeys()
    {
        var validator = new ClipboardOptionsValidator();
        Assert.True(validator.Validate(null, new ClipboardOptions()).Succeeded);
        var bad = new ClipboardOptions { Directions = "sideways", MaxBytes = 0, BytesPerSecond = 1, TextsPerSecond = 0, Selection = "secondary" };
        string failures = string.Join("\n", validator.Validate(null, bad).Failures!);
        foreach (string key in (string[])["Clipboard:Directions", "Clipboard:MaxBytes", "Clipboard:BytesPerSecond", "Clipboard:TextsPerSecond", "Clipboard:Selection"])
        {
            Assert.Contains(key, failures, StringComparison.Ordinal);
        }
        Assert.False(validator.Validate(null, new ClipboardOptions { MaxBytes = ClipboardOptions.MaxMaxBytes + 1 }).Succeeded);
    }

    [Fact]
    public void ConsoleOption_IsValidatedWithTheKeyNamed()
    {
        var problems = new List<string>();
        Assert.False(ConsoleDefinition.TryCreate("Consoles:vm1", "demo", null, "upwards", out _, problems));
        Assert.Equal("Consoles:vm1:Clipboard: 'upwards' is not none, to-guest, from-guest or both", Assert.Single(problems));
        Assert.True(ConsoleDefinition.TryCreate("Consoles:vm1", "demo", null, "to-guest", out ConsoleDefinition? definition, problems));
        Assert.Equal(ClipboardDirections.ToGuest, definition!.Clipboard);
        Assert.True(ConsoleDefinition.TryCreate("Consoles:vm1", "demo", null, out definition, problems));
        Assert.Null(definition!.Clipboard);
    }

    /// <summary>Effective = source ∩ console option ∩ access (ticket claim, none for view): every combination.</summary>
    [Fact]
    public void Effective_IsTheIntersection_ForEveryCombination()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var metrics = new ConsoleMetrics(services.GetRequiredService<IMeterFactory>());
        using ConsoleMeter meter = metrics.ForConsole("c", () => 0);
        var all = (ClipboardDirections[])[ClipboardDirections.None, ClipboardDirections.ToGuest, ClipboardDirections.FromGuest, ClipboardDirections.Both];
        foreach (ClipboardDirections source in all)
        {
            var guest = new FakeGuestClipboard();
            guest.Change(source, source == ClipboardDirections.Both ? null : "the agent has not registered");
            foreach (ClipboardDirections option in all)
            {
                using var relay = new ClipboardRelay("c", guest, option, 1000, new ViewerSet(null!), meter, NullLogger.Instance, TimeProvider.System);
                foreach (ClipboardDirections access in all)
                {
                    Assert.Equal(source & option & access, relay.For(access));
                    var state = relay.StateFor(access);
                    Assert.Equal((source & option & access & ClipboardDirections.ToGuest) != 0, state.ToGuest);
                    Assert.Equal((source & option & access & ClipboardDirections.FromGuest) != 0, state.FromGuest);
                    Assert.Equal((source & option & access) == ClipboardDirections.Both, state.Reason is null);
                }
            }
        }
        using var none = new ClipboardRelay("c", null, ClipboardDirections.Both, 1000, new ViewerSet(null!), meter, NullLogger.Instance, TimeProvider.System);
        Assert.Equal(ClipboardDirections.None, none.For(ClipboardDirections.Both));
        Assert.Equal(ClipboardRelay.NoClipboard, none.StateFor(ClipboardDirections.Both).Reason);
    }
}
