using WebConsole.Testing;
using Xunit.Abstractions;

namespace WebConsole.E2E;

/// <summary>Keys typed in the browser reach a real xterm in a real Xvfb through XTEST.</summary>
[Collection(SharedBrowser.Name)]
public sealed class XvfbInputTests(BrowserFixture browser, ITestOutputHelper output)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("xwd")]
    [InlineData("x11")]
    public async Task KeysTypedInThePage_ReachARealXtermThroughXTest(string kind)
    {
        using var xvfb = new Xvfb("640x480x24");
        string result = Path.Combine(xvfb.Directory, "typed");
        xvfb.Spawn("xterm", "-geometry", "80x24+0+0", "-e", "sh", "-c", $"read line; printf %s \"$line\" > {result}");
        ServerConsole console = kind == "x11"
            ? new ServerConsole("x", $"x11:{xvfb.Display}")
            : new ServerConsole("x", $"xwd:{xvfb.ScreenFile}", xvfb.Display);
        await using var server = await WebConsoleServer.StartAsync([console], output);
        await using var page = await ConsolePage.OpenAsync(browser.Browser, server.Url("/console/x?scale=off"), output);
        await page.WaitForLiveAsync();

        // No window manager: X focus follows the pointer, so move it over the xterm first
        // (through the page, like a person would), then type with physical keys.
        await page.Page.Mouse.MoveAsync(100, 100);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(result))
        {
            Assert.True(waited.Elapsed < s_timeout, "the xterm never wrote the typed line");
            await page.Page.Mouse.MoveAsync(100 + (int)(waited.ElapsedMilliseconds % 7), 100);
            await page.Page.Keyboard.PressAsync("Control+KeyU"); // clears a partial line from an earlier attempt
            await TypeWithPhysicalKeysAsync(page, "Hello XTEST 42");
            await page.Page.Keyboard.PressAsync("Enter");
            for (int i = 0; i < 30 && !File.Exists(result); i++)
            {
                await Task.Delay(100);
            }
        }
        await Task.Delay(200);
        Assert.Equal("Hello XTEST 42", await File.ReadAllTextAsync(result));
        output.WriteLine($"screenshot: {await page.ScreenshotAsync($"xvfb-typed-{kind}")}");
    }

    /// <summary>Presses the physical keys a US keyboard uses for <paramref name="text"/>, Shift for capitals.</summary>
    private static async Task TypeWithPhysicalKeysAsync(ConsolePage page, string text)
    {
        foreach (char c in text)
        {
            string key = c switch
            {
                ' ' => "Space",
                >= '0' and <= '9' => $"Digit{c}",
                >= 'A' and <= 'Z' => $"Shift+Key{c}",
                >= 'a' and <= 'z' => $"Key{char.ToUpperInvariant(c)}",
                _ => throw new ArgumentOutOfRangeException(nameof(text), c, "not on the test's key list"),
            };
            await page.Page.Keyboard.PressAsync(key);
        }
    }
}
