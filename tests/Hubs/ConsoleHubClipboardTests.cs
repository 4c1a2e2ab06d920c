using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WebConsole.Hubs;
using WebConsole.Sources;
using WebConsole.Tests.Security;
using WebConsole.Tests.Streaming;

namespace WebConsole.Tests.Hubs;

/// <summary>
/// The clipboard through the real hub and access control: who may set and read it (access, ticket
/// claim, console option), and hostile messages (too large, not UTF-8, out of order, floods) refused
/// with the connection, the server and the other consoles unaffected; no text in any log.
/// </summary>
public sealed class ConsoleHubClipboardTests : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private const int Piece = 32 * 1024;
    private ClipboardSourceFactory? _sources;
    private SecureServer _server = null!;

    public Task InitializeAsync()
    {
        _server = Start([]);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private SecureServer Start(Dictionary<string, string?> settings)
    {
        settings.TryAdd("Consoles:clip1:Source", "demo");
        settings.TryAdd("Consoles:clip2:Source", "demo");
        settings.TryAdd("Consoles:clipfrom:Source", "demo");
        settings.TryAdd("Consoles:clipfrom:Clipboard", "from-guest");
        settings.TryAdd("Clipboard:MaxBytes", "300000");
        return new SecureServer(settings, services: services =>
        {
            services.AddSingleton(sp => new ClipboardSourceFactory(ActivatorUtilities.CreateInstance<FramebufferSourceFactory>(sp)));
            services.Replace(ServiceDescriptor.Singleton<IFramebufferSourceFactory>(sp => _sources = sp.GetRequiredService<ClipboardSourceFactory>()));
        });
    }

    private FakeGuestClipboard Guest(string id)
    {
        Assert.NotNull(_sources);
        return _sources!.Clipboards[id];
    }

    private sealed class Viewer : IAsyncDisposable
    {
        public Channel<ClipboardMessage> Texts { get; } = Channel.CreateUnbounded<ClipboardMessage>();

        public Channel<ClipboardStateMessage> States { get; } = Channel.CreateUnbounded<ClipboardStateMessage>();

        public required HubConnection Connection { get; init; }

        public async Task<ClipboardStateMessage> NextStateAsync() => await States.Reader.ReadAsync().AsTask().WaitAsync(s_timeout);

        public async Task<ClipboardMessage> NextTextAsync() => await Texts.Reader.ReadAsync().AsTask().WaitAsync(s_timeout);

        /// <summary>Sends <paramref name="utf8"/> in pieces as the page does; the last call's answer.</summary>
        public async Task<bool> SetAsync(byte[] utf8)
        {
            bool done = false;
            for (int offset = 0; offset == 0 || offset < utf8.Length; offset += Piece)
            {
                byte[] piece = utf8.AsSpan(offset, Math.Min(Piece, utf8.Length - offset)).ToArray();
                done = await Connection.InvokeAsync<bool>("SetClipboard", (long)offset, utf8.Length, piece).WaitAsync(s_timeout);
                if (utf8.Length == 0)
                {
                    break;
                }
            }
            return done;
        }

        public Task<bool> SetAsync(string text) => SetAsync(System.Text.Encoding.UTF8.GetBytes(text));

        public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
    }

    private async Task<Viewer> JoinAsync(string consoleId, string permission = "control", string? clipboard = null)
    {
        string ticket = await _server.TicketAsync(consoleId, permission, clipboard: clipboard);
        var viewer = new Viewer { Connection = _server.Connect(ticket) };
        viewer.Connection.On<ClipboardMessage>(ConsoleClientMethods.Clipboard, m => viewer.Texts.Writer.TryWrite(m));
        viewer.Connection.On<ClipboardStateMessage>(ConsoleClientMethods.ClipboardState, m => viewer.States.Writer.TryWrite(m));
        await viewer.Connection.StartAsync().WaitAsync(s_timeout);
        await viewer.Connection.InvokeAsync<JoinResult>("Join", consoleId).WaitAsync(s_timeout);
        return viewer;
    }

    private static async Task<string> RefusedAsync(Func<Task> call)
    {
        HubException e = await Assert.ThrowsAsync<HubException>(call);
        return e.Message;
    }

    [Fact]
    public async Task Control_SetsTheGuestClipboard_AndReadsWhatTheGuestCopies()
    {
        await using Viewer viewer = await JoinAsync("clip1");
        ClipboardStateMessage state = await viewer.NextStateAsync();
        Assert.True(state.ToGuest);
        Assert.True(state.FromGuest);
        Assert.Null(state.Reason);
        Assert.Equal(300000, state.MaxBytes);

        Assert.True(await viewer.SetAsync("from the browser: ünïcødé 日本 😀"));
        Assert.True(Guest("clip1").Set.TryTake(out string? set, s_timeout));
        Assert.Equal("from the browser: ünïcødé 日本 😀", set);

        Guest("clip1").Copy("from the guest: ✓");
        ClipboardMessage copied = await viewer.NextTextAsync();
        Assert.Equal("from the guest: ✓", copied.Text);
        Assert.False(copied.Initial);

        // A viewer who joins later sees the guest's text in its panel, marked initial.
        await using Viewer later = await JoinAsync("clip1");
        ClipboardMessage initial = await later.NextTextAsync();
        Assert.Equal("from the guest: ✓", initial.Text);
        Assert.True(initial.Initial);
    }

    [Fact]
    public async Task LargeText_InPieces_ArrivesWhole()
    {
        await using Viewer viewer = await JoinAsync("clip1");
        string large = Sources.X11ClipboardTests.LargeText(200 * 1024);
        Assert.True(await viewer.SetAsync(large));
        Assert.True(Guest("clip1").Set.TryTake(out string? set, s_timeout));
        Assert.Equal(large, set);
    }

    [Fact]
    public async Task ViewOnly_HasNoClipboardEitherWay()
    {
        await using Viewer view = await JoinAsync("clip1", "view");
        await using Viewer control = await JoinAsync("clip1");
        ClipboardStateMessage state = await view.NextStateAsync();
        Assert.False(state.ToGuest);
        Assert.False(state.FromGuest);
        Assert.Contains("view only", state.Reason, StringComparison.Ordinal);

        string refusal = await RefusedAsync(() => view.SetAsync("not allowed"));
        Assert.Contains("clipboard refused", refusal, StringComparison.Ordinal);
        Assert.Empty(Guest("clip1").Set);

        Guest("clip1").Copy("secret from the guest");
        Assert.Equal("secret from the guest", (await control.NextTextAsync()).Text);
        await Task.Delay(200);
        Assert.False(view.Texts.Reader.TryRead(out _), "a view-only viewer got the guest's clipboard");
    }

    [Theory]
    [InlineData("from-guest", false, true)]
    [InlineData("to-guest", true, false)]
    [InlineData("none", false, false)]
    public async Task TicketClaim_NarrowsTheClipboard_InTheServer(string claim, bool toGuest, bool fromGuest)
    {
        await using Viewer viewer = await JoinAsync("clip1", clipboard: claim);
        ClipboardStateMessage state = await viewer.NextStateAsync();
        Assert.Equal(toGuest, state.ToGuest);
        Assert.Equal(fromGuest, state.FromGuest);
        if (toGuest)
        {
            Assert.True(await viewer.SetAsync("allowed"));
        }
        else
        {
            Assert.Contains("clipboard refused", await RefusedAsync(() => viewer.SetAsync("refused")), StringComparison.Ordinal);
        }
        Guest("clip1").Copy("guest text");
        await Task.Delay(200);
        Assert.Equal(fromGuest, viewer.Texts.Reader.TryRead(out _));
    }

    [Fact]
    public async Task ConsoleOption_NarrowsTheClipboard()
    {
        await using Viewer viewer = await JoinAsync("clipfrom");
        ClipboardStateMessage state = await viewer.NextStateAsync();
        Assert.False(state.ToGuest);
        Assert.True(state.FromGuest);
        Assert.Contains("from-guest only", state.Reason, StringComparison.Ordinal);
        Assert.Contains("clipboard refused", await RefusedAsync(() => viewer.SetAsync("refused")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SourceWithoutClipboard_SaysSoAndPointsToTypeText()
    {
        await using Viewer viewer = await JoinAsync(SecureServer.ConsoleA);
        ClipboardStateMessage state = await viewer.NextStateAsync();
        Assert.False(state.ToGuest);
        Assert.False(state.FromGuest);
        Assert.Contains("use Type text", state.Reason, StringComparison.Ordinal);
        Assert.Contains("no guest clipboard", await RefusedAsync(() => viewer.SetAsync("x")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SourceDirectionsChange_ViewersAreTold()
    {
        await using Viewer viewer = await JoinAsync("clip1");
        Assert.True((await viewer.NextStateAsync()).ToGuest);
        Guest("clip1").Change(WebConsole.Sources.Clipboard.ClipboardDirections.None, "waiting for the guest's agent");
        ClipboardStateMessage state = await viewer.NextStateAsync();
        Assert.False(state.ToGuest);
        Assert.Equal("waiting for the guest's agent", state.Reason);
    }

    [Fact]
    public async Task HostileMessages_AreRefused_AndNothingElseIsHurt()
    {
        await using Viewer hostile = await JoinAsync("clip1");
        await using Viewer other = await JoinAsync("clip2");

        // Over the limit: refused on the first piece, before any buffer is made for it.
        string tooLarge = await RefusedAsync(() => hostile.Connection.InvokeAsync<bool>("SetClipboard", 0L, 300001, new byte[16]).WaitAsync(s_timeout));
        Assert.Contains("over the limit of 300000 bytes", tooLarge, StringComparison.Ordinal);
        Assert.Contains("over the limit", await RefusedAsync(() => hostile.Connection.InvokeAsync<bool>("SetClipboard", 0L, int.MaxValue, new byte[16]).WaitAsync(s_timeout)), StringComparison.Ordinal);
        // Not UTF-8.
        Assert.Contains("not valid UTF-8", await RefusedAsync(() => hostile.SetAsync([0x61, 0xC3, 0x28, 0xFF])), StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8", await RefusedAsync(() => hostile.SetAsync([0xED, 0xA0, 0x80])), StringComparison.Ordinal); // a surrogate
        // Pieces out of order, overrunning, negative.
        Assert.Contains("out of order", await RefusedAsync(() => hostile.Connection.InvokeAsync<bool>("SetClipboard", 5L, 10, new byte[5]).WaitAsync(s_timeout)), StringComparison.Ordinal);
        Assert.Contains("overruns", await RefusedAsync(() => hostile.Connection.InvokeAsync<bool>("SetClipboard", 0L, 4, new byte[5]).WaitAsync(s_timeout)), StringComparison.Ordinal);
        Assert.Contains("negative", await RefusedAsync(() => hostile.Connection.InvokeAsync<bool>("SetClipboard", 0L, -1, Array.Empty<byte>()).WaitAsync(s_timeout)), StringComparison.Ordinal);
        Assert.Empty(Guest("clip1").Set);

        // A flood of texts: over Clipboard:TextsPerSecond (4, bursts of 8) is refused, not queued.
        int refused = 0;
        for (int i = 0; i < 40; i++)
        {
            try
            {
                await hostile.SetAsync($"flood {i}");
            }
            catch (HubException e) when (e.Message.Contains("too many clipboard texts", StringComparison.Ordinal))
            {
                refused++;
            }
        }
        Assert.InRange(refused, 25, 40);
        Assert.InRange(Guest("clip1").Set.Count, 1, 15);

        // The hostile connection still works, the other console's viewer was never held up.
        await hostile.Connection.InvokeAsync<string>("Ping").WaitAsync(s_timeout);
        Assert.True(await other.SetAsync("the other console is fine"));
        Assert.True(Guest("clip2").Set.TryTake(out string? set, s_timeout));
        Assert.Equal("the other console is fine", set);
        Assert.Contains("clipboard text too large", _server.Logs.All, StringComparison.Ordinal); // counted, by reason
    }

    [Fact]
    public async Task ClipboardText_NeverAppearsInTheLogs()
    {
        const string Marker = "clipboard-marker-0f3a9d-never-logged";
        await using Viewer viewer = await JoinAsync("clip1");
        Assert.True(await viewer.SetAsync(Marker + " to the guest"));
        Guest("clip1").Copy(Marker + " from the guest");
        Assert.Contains(Marker, (await viewer.NextTextAsync()).Text, StringComparison.Ordinal);
        await RefusedAsync(() => viewer.SetAsync(System.Text.Encoding.UTF8.GetBytes(Marker).Concat(new byte[] { 0xFF }).ToArray()));
        await Task.Delay(100);
        Assert.DoesNotContain(Marker, _server.Logs.All, StringComparison.Ordinal);
        Assert.Contains("clipboard set in the guest", _server.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GuestCopyingInALoop_ReachesViewersCoalesced_TheLastTextLast()
    {
        await using Viewer viewer = await JoinAsync("clip1");
        for (int i = 0; i < 200; i++)
        {
            Guest("clip1").Copy($"copy {i}");
        }
        var got = new List<string>();
        while (got.Count == 0 || got[^1] != "copy 199")
        {
            got.Add((await viewer.NextTextAsync()).Text);
        }
        Assert.Equal("copy 0", got[0]);
        Assert.InRange(got.Count, 2, 20); // at most one every 100 ms, the latest winning
    }

    [Fact]
    public async Task Metrics_CountClipboardBytesEachWay()
    {
        await using Viewer viewer = await JoinAsync("clip1");
        Assert.True(await viewer.SetAsync("12345"));
        Guest("clip1").Copy("1234567");
        await viewer.NextTextAsync();
        using HttpClient client = _server.CreateClient();
        client.DefaultRequestHeaders.Add(WebConsole.Security.ApiKeyVerifier.HeaderName, SecurityKeys.ApiKey);
        Telemetry.PrometheusText metrics = new("");
        for (int i = 0; i < 50; i++)
        {
            metrics = new Telemetry.PrometheusText(await client.GetStringAsync("/metrics"));
            if (metrics.ValueOrZero("webconsole_clipboard_bytes_total", ("console", "clip1"), ("direction", "from_guest")) >= 7)
            {
                break;
            }
            await Task.Delay(100);
        }
        Assert.Equal(5, metrics.ValueOrZero("webconsole_clipboard_bytes_total", ("console", "clip1"), ("direction", "to_guest")));
        Assert.Equal(7, metrics.ValueOrZero("webconsole_clipboard_bytes_total", ("console", "clip1"), ("direction", "from_guest")));
    }
}
