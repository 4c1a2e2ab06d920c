using System.Reflection;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using SkiaSharp;
using WebConsole.Hubs;
using WebConsole.Input;
using WebConsole.Region;
using WebConsole.Security;
using WebConsole.Tests.Region;

namespace WebConsole.Tests.Hubs;

/// <summary>Input and cursor through the real hub: validation, mapping to the region's input ring, cursor messages.</summary>
public sealed class ConsoleHubInputTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly TempRegion _region = new("hubinput");
    private RegionWriter _writer = null!;
    private ServerFactory _server = null!;

    public Task InitializeAsync()
    {
        _writer = HubScene.CreateRegion(_region.Path);
        _server = new ServerFactory(new() { ["Consoles:t:Source"] = "region:" + _region.Path });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _writer.Dispose();
        _region.Dispose();
    }

    private static InputMessage Key(int code, bool down) => new(1, code, down ? 1 : 0, 0, 0);

    private static InputMessage Pointer(int x, int y, int buttons) => new(2, 0, buttons, x, y);

    private static InputMessage Wheel(int dx, int dy) => new(3, 0, 0, dx, dy);

    /// <summary>
    /// Joins and waits for the first picture: input before the session has read the source's frame
    /// is dropped (it has no size to clamp pointers to), which a loaded machine made happen.
    /// </summary>
    private async Task<TestViewer> JoinReadyAsync()
    {
        var (viewer, _) = await TestViewer.JoinAsync(_server, "t");
        await viewer.NextResizeAsync();
        await viewer.NextUpdateAsync();
        return viewer;
    }

    /// <summary>Drains the ring until <paramref name="count"/> events came (or the timeout), then a little longer to catch extras.</summary>
    private async Task<List<InputEvent>> DrainAsync(int count)
    {
        var events = new List<InputEvent>();
        var buffer = new InputEvent[RegionFormat.InputRingSize];
        var deadline = DateTime.UtcNow + Timeout;
        while (events.Count < count && DateTime.UtcNow < deadline)
        {
            events.AddRange(buffer.AsSpan(0, _writer.DrainInput(buffer)));
            await Task.Delay(5);
        }
        await Task.Delay(100);
        events.AddRange(buffer.AsSpan(0, _writer.DrainInput(buffer)));
        return events;
    }

    [Fact]
    public async Task Input_MapsKeysPointerAndWheel_InOrder_WithPointersClampedToTheFrame()
    {
        TestViewer viewer = await JoinReadyAsync();
        await using (viewer)
        {
            await viewer.Connection.InvokeAsync("Input", new[]
            {
                Key(30, true), Key(30, false), Pointer(10, 20, 1), Pointer(5000, -7, 0x1F), Wheel(0, 120), Wheel(-240, 0), Key(0x2FF, true),
            }).WaitAsync(Timeout);
            List<InputEvent> got = await DrainAsync(7);
            Assert.Equal([
                InputEvent.Key(30, true), InputEvent.Key(30, false), InputEvent.Pointer(10, 20, 1),
                InputEvent.Pointer(HubScene.Width - 1, 0, 0x1F), InputEvent.Wheel(0, 120), InputEvent.Wheel(-240, 0), InputEvent.Key(0x2FF, true),
            ], got);
        }
    }

    [Fact]
    public async Task Input_DropsEventsNoKeyboardOrMouseCouldMake_AndKeepsTheRest()
    {
        TestViewer viewer = await JoinReadyAsync();
        await using (viewer)
        {
            await viewer.Connection.InvokeAsync("Input", new[]
            {
                new InputMessage(9, 30, 1, 0, 0), // unknown type
                Key(0, true), Key(0x110, true), Key(0x300, true), Key(-5, true), // no key / BTN_LEFT / above KEY_MAX / negative
                new InputMessage(1, 30, 2, 0, 0), // value neither press nor release
                Pointer(1, 1, 0x20), // unknown button
                Wheel(0, 0),
                Key(57, true),
            }).WaitAsync(Timeout);
            Assert.Equal([InputEvent.Key(57, true)], await DrainAsync(1));
            // Huge wheel deltas are capped.
            await viewer.Connection.InvokeAsync("Input", new[] { Wheel(int.MaxValue, int.MinValue) }).WaitAsync(Timeout);
            Assert.Equal([InputEvent.Wheel(InputLimits.MaxWheel, -InputLimits.MaxWheel)], await DrainAsync(1));
        }
    }

    [Fact]
    public async Task Input_RefusesTooManyEventsInOneCall_AndInputBeforeJoin()
    {
        TestViewer viewer = await JoinReadyAsync();
        await using (viewer)
        {
            InputMessage[] tooMany = Enumerable.Repeat(Key(30, true), InputLimits.MaxEvents + 1).ToArray();
            var e = await Assert.ThrowsAsync<HubException>(() => viewer.Connection.InvokeAsync("Input", tooMany).WaitAsync(Timeout));
            Assert.Contains("at most 256", e.Message);
            Assert.Empty(await DrainAsync(0));
            // The connection is still good.
            await viewer.Connection.InvokeAsync("Input", new[] { Key(30, true) }).WaitAsync(Timeout);
            Assert.Single(await DrainAsync(1));
        }
        await using HubConnection lone = _server.Connect();
        await lone.StartAsync().WaitAsync(Timeout);
        var notJoined = await Assert.ThrowsAsync<HubException>(() => lone.InvokeAsync("Input", new[] { Key(30, true) }).WaitAsync(Timeout));
        Assert.Contains("join", notJoined.Message);
    }

    [Fact]
    public async Task TypeText_TypesUsLayoutKeys_AndWaitsForAFullRingToDrain()
    {
        TestViewer viewer = await JoinReadyAsync();
        await using (viewer)
        {
            await viewer.Connection.InvokeAsync("TypeText", "aB:\r\n").WaitAsync(Timeout);
            Assert.Equal([
                InputEvent.Key(30, true), InputEvent.Key(30, false),
                InputEvent.Key(42, true), InputEvent.Key(48, true), InputEvent.Key(48, false), InputEvent.Key(42, false),
                InputEvent.Key(42, true), InputEvent.Key(39, true), InputEvent.Key(39, false), InputEvent.Key(42, false),
                InputEvent.Key(28, true), InputEvent.Key(28, false),
            ], await DrainAsync(12));

            // 300 capitals are 1,200 events: far more than the 256-entry ring, so the hub waits for the producer.
            string text = new('X', 300);
            Task typing = viewer.Connection.InvokeAsync("TypeText", text).WaitAsync(Timeout);
            List<InputEvent> got = await DrainAsync(1200);
            await typing;
            Assert.Equal(1200, got.Count);
            Assert.Equal(300, got.Count(k => k == InputEvent.Key(45, true)));
        }
    }

    [Fact]
    public async Task TypeText_RefusesCharactersWithoutAKey_AndTextOverTheLimit_TypingNothing()
    {
        TestViewer viewer = await JoinReadyAsync();
        await using (viewer)
        {
            var e = await Assert.ThrowsAsync<HubException>(() => viewer.Connection.InvokeAsync("TypeText", "ok é").WaitAsync(Timeout));
            Assert.Contains("U+00E9", e.Message);
            e = await Assert.ThrowsAsync<HubException>(() =>
                viewer.Connection.InvokeAsync("TypeText", new string('a', InputLimits.MaxTextLength + 1)).WaitAsync(Timeout));
            Assert.Contains("4096", e.Message);
            Assert.Empty(await DrainAsync(0));
        }
    }

    [Fact]
    public void InputMethods_AreMarkedAsRequiringControl()
    {
        foreach (string name in new[] { "Input", "TypeText" })
        {
            MethodInfo method = typeof(ConsoleHub).GetMethod(name)!;
            Assert.NotNull(method.GetCustomAttribute<RequiresControlAttribute>());
        }
        Assert.Null(typeof(ConsoleHub).GetMethod("Ack")!.GetCustomAttribute<RequiresControlAttribute>());
    }

    [Fact]
    public async Task Cursor_IsSentOnJoin_ThenMotionWithoutImage_ThenANewImageWhenItsSerialChanges()
    {
        uint[] red = Enumerable.Repeat(0x80FF0000u, 5 * 4).ToArray(); // half-transparent red, straight alpha
        _writer.SetCursorImage(5, 4, 2, 1, red);
        _writer.MoveCursor(30, 40, visible: true);
        TestViewer viewer = await JoinReadyAsync();
        await using (viewer)
        {
            CursorMessage c = await viewer.NextCursorAsync();
            Assert.Equal((true, 30, 40, 2, 1, 5, 4), (c.Visible, c.X, c.Y, c.HotX, c.HotY, c.Width, c.Height));
            using (var bitmap = SKBitmap.Decode(c.Png, new SKImageInfo(5, 4, SKColorType.Bgra8888, SKAlphaType.Unpremul)))
            {
                Assert.Equal(new SKColor(255, 0, 0, 0x80), bitmap.GetPixel(4, 3));
            }

            _writer.MoveCursor(31, 41, visible: false);
            c = await viewer.NextCursorAsync();
            Assert.Equal((false, 31, 41), (c.Visible, c.X, c.Y));
            Assert.Empty(c.Png);

            uint serial = c.Serial;
            _writer.SetCursorImage(3, 3, 1, 1, Enumerable.Repeat(0xFF00FF00u, 9).ToArray());
            do
            {
                c = await viewer.NextCursorAsync();
            }
            while (c.Serial == serial);
            Assert.Equal((3, 3), (c.Width, c.Height));
            using var next = SKBitmap.Decode(c.Png);
            Assert.Equal(new SKColor(0, 255, 0, 255), next.GetPixel(1, 1));
        }
    }
}
