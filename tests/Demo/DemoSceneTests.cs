using WebConsole.Demo;
using WebConsole.Region;

namespace WebConsole.Tests.Demo;

public sealed class DemoSceneTests
{
    private const byte Padding = 0xAB;
    private static readonly DateTimeOffset Start = new(2025, 3, 14, 9, 26, 53, 0, TimeSpan.Zero);
    private static readonly TimeSpan FrameTime = TimeSpan.FromMilliseconds(33);

    private delegate void FrameCheck(int frame, byte[] before, byte[] after, PixelRect[] damage);

    /// <summary>
    /// Renders <paramref name="frames"/> frames incrementally into one padded buffer, as a region
    /// buffer brought up to date would be, with the clock moving and scripted input arriving;
    /// checks each frame against a full redraw and hands it to <paramref name="check"/>.
    /// </summary>
    private static void Play(int width, int height, int frames, FrameCheck check, bool input = true)
    {
        var time = new ManualTimeProvider(Start);
        var scene = new DemoScene(new DemoProducerOptions { Width = width, Height = height }, time);
        int stride = width * 4 + 32;
        byte[] buffer = new byte[stride * height];
        buffer.AsSpan().Fill(Padding);
        byte[] before = new byte[buffer.Length], full = new byte[buffer.Length];
        for (int frame = 0; frame < frames; frame++)
        {
            if (input)
            {
                foreach (InputEvent e in Script(frame, width, height))
                {
                    scene.HandleInput(e);
                }
            }
            buffer.CopyTo(before, 0);
            PixelRect[] damage = scene.Render(buffer, stride).ToArray();
            check(frame, before, buffer, damage);
            // Missing damage would leave stale pixels that a full redraw of the same state does not have.
            scene.DrawAll(full, stride);
            var stale = Frames.FirstDifference(buffer, stride, full, stride, new PixelRect(0, 0, width, height));
            Assert.True(stale is null, $"frame {frame}: pixel {stale} differs from a full redraw");
            time.Advance(FrameTime);
        }
        for (int y = 0; y < height; y++)
        {
            Assert.True(buffer.AsSpan(y * stride + width * 4, stride - width * 4).IndexOfAnyExcept(Padding) < 0, $"row {y} padding was written");
        }
    }

    /// <summary>Asserts that every pixel that differs between the frames lies in <paramref name="damage"/>.</summary>
    private static bool AssertChangesInside(byte[] before, byte[] after, int stride, int width, int height, PixelRect[] damage, int frame)
    {
        bool changed = false;
        for (int y = 0; y < height; y++)
        {
            if (before.AsSpan(y * stride, width * 4).SequenceEqual(after.AsSpan(y * stride, width * 4)))
            {
                continue;
            }
            for (int x = 0; x < width; x++)
            {
                if (Frames.Pixel(before, stride, x, y) != Frames.Pixel(after, stride, x, y))
                {
                    changed = true;
                    Assert.True(Frames.InsideAny(damage, x, y), $"frame {frame}: pixel ({x},{y}) changed outside the damage");
                }
            }
        }
        return changed;
    }

    private static readonly (ushort Code, bool Down)[] Keys =
    [
        (42, true), (35, true), (35, false), (42, false), (23, true), (23, false), (2, true), (2, false),
        (57, true), (57, false), (59, true), (59, false), (14, true), (14, false), (28, true), (28, false),
        (29, true), (46, true), (46, false), (29, false), (58, true), (58, false), (30, true), (30, false),
    ];

    private static IEnumerable<InputEvent> Script(int frame, int width, int height)
    {
        // A few pointer events per frame sweeping the whole frame (and past its edges), buttons changing.
        uint[] buttons = [0, InputEvent.ButtonLeft, InputEvent.ButtonRight, InputEvent.ButtonMiddle];
        for (int k = 0; k < 3; k++)
        {
            double t = frame * 0.05 + k * 0.017;
            yield return InputEvent.Pointer(
                (int)(width / 2 + width * 0.52 * Math.Sin(t * 1.3)),
                (int)(height / 2 + height * 0.52 * Math.Cos(t)),
                buttons[frame / 20 % buttons.Length]);
        }
        if (frame % 3 == 0)
        {
            var (code, down) = Keys[frame / 3 % Keys.Length];
            yield return InputEvent.Key(code, down);
        }
        if (frame % 50 == 25)
        {
            yield return InputEvent.Wheel(0, -240);
        }
    }

    [Fact]
    public void Scene_FirstFrameIsFullThenDamageIsTight()
    {
        long frameArea = 1280L * 720;
        Play(1280, 720, 200, (frame, _, _, damage) =>
        {
            if (frame == 0)
            {
                Assert.Equal([new PixelRect(0, 0, 1280, 720)], damage);
                return;
            }
            Assert.NotEmpty(damage); // the square moves every frame
            Assert.InRange(damage.Length, 1, DamageList.Capacity);
            long area = 0;
            foreach (PixelRect r in damage)
            {
                Assert.False(r.IsEmpty);
                Assert.True(r.X >= 0 && r.Y >= 0 && r.Right <= 1280 && r.Bottom <= 720, $"frame {frame}: {r} is outside the frame");
                Assert.NotEqual(new PixelRect(0, 0, 1280, 720), r);
                area += r.Area;
            }
            Assert.True(area < frameArea / 4, $"frame {frame}: damage of {area} pixels is not tight");
        });
    }

    [Fact]
    public void Scene_DamageCoversEveryChangedPixel()
    {
        int stride = 1280 * 4 + 32;
        int changedFrames = 0;
        Play(1280, 720, 400, (frame, before, after, damage) =>
            changedFrames += AssertChangesInside(before, after, stride, 1280, 720, damage, frame) ? 1 : 0);
        Assert.Equal(400, changedFrames);
    }

    [Fact]
    public void Scene_IncrementalFramesMatchAFullRedraw()
    {
        // Missing damage would leave stale pixels that a full redraw of the same state does not have.
        var time = new ManualTimeProvider(Start);
        var scene = new DemoScene(new DemoProducerOptions { Width = 1280, Height = 720 }, time);
        int stride = 1280 * 4;
        byte[] incremental = new byte[stride * 720], full = new byte[stride * 720];
        var frame = new PixelRect(0, 0, 1280, 720);
        for (int i = 0; i < 400; i++)
        {
            foreach (InputEvent e in Script(i, 1280, 720))
            {
                scene.HandleInput(e);
            }
            scene.Render(incremental, stride);
            scene.DrawAll(full, stride);
            Assert.Null(Frames.FirstDifference(incremental, stride, full, stride, frame));
            time.Advance(FrameTime);
        }
    }

    [Theory]
    [InlineData(320, 240)]
    [InlineData(333, 251)]
    [InlineData(640, 480)]
    [InlineData(1920, 1080)]
    public void Scene_OtherSizesRenderClippedWithExactDamage(int width, int height)
    {
        int stride = width * 4 + 32;
        var whole = new PixelRect(0, 0, width, height);
        Play(width, height, 120, (frame, before, after, damage) =>
        {
            foreach (PixelRect r in damage)
            {
                Assert.True(r.X >= 0 && r.Y >= 0 && r.Right <= width && r.Bottom <= height, $"frame {frame}: {r} is outside {width}x{height}");
            }
            if (frame == 0)
            {
                Assert.Equal([whole], damage);
                return;
            }
            AssertChangesInside(before, after, stride, width, height, damage, frame);
        });
    }

    [Fact]
    public void Scene_StaticPartsAreNeverRedrawnWithoutInput()
    {
        var time = new ManualTimeProvider(Start);
        var scene = new DemoScene(new DemoProducerOptions { Width = 1280, Height = 720 }, time);
        PixelRect title = scene.TitleBounds, typed = scene.TypedBounds;
        byte[] buffer = new byte[1280 * 4 * 720];
        scene.Render(buffer, 1280 * 4);
        for (int i = 0; i < 200; i++)
        {
            time.Advance(FrameTime);
            foreach (PixelRect r in scene.Render(buffer, 1280 * 4))
            {
                Assert.False(Frames.Overlaps(r, title), $"frame {i}: {r} redraws the title bar");
                Assert.False(Frames.Overlaps(r, typed), $"frame {i}: {r} redraws the typed line without typing");
            }
        }
    }

    [Fact]
    public void Scene_NothingToDrawWhileTimeStandsStillAndNoInputArrives()
    {
        var time = new ManualTimeProvider(Start);
        var scene = new DemoScene(new DemoProducerOptions { Width = 800, Height = 600 }, time);
        byte[] buffer = new byte[800 * 4 * 600];
        Assert.True(scene.Update()); // the first frame is always drawn
        scene.Render(buffer, 800 * 4);
        Assert.False(scene.Update());
        Assert.True(scene.Render(buffer, 800 * 4).IsEmpty);

        scene.HandleInput(InputEvent.Key(30, down: true)); // 'a'
        Assert.True(scene.Update());
        PixelRect[] damage = scene.Render(buffer, 800 * 4).ToArray();
        Assert.Single(damage);
        Assert.True(Frames.Overlaps(damage[0], scene.TypedBounds));
    }

    [Fact]
    public void Scene_ClockIsRedrawnOnlyWhenItsTextChanges()
    {
        var time = new ManualTimeProvider(Start); // 09:26:53.0
        var scene = new DemoScene(new DemoProducerOptions { Width = 1280, Height = 720 }, time);
        byte[] buffer = new byte[1280 * 4 * 720];
        scene.Render(buffer, 1280 * 4);
        PixelRect clock = scene.ClockBounds;

        time.Advance(TimeSpan.FromMilliseconds(50)); // still .0
        foreach (PixelRect r in scene.Render(buffer, 1280 * 4))
        {
            Assert.False(Frames.Overlaps(r, clock), $"{r} redraws an unchanged clock");
        }

        time.Advance(TimeSpan.FromMilliseconds(60)); // .1: only the tenths digit, one 32-pixel cell
        PixelRect[] damage = scene.Render(buffer, 1280 * 4).ToArray();
        Assert.Contains(new PixelRect(clock.X + 9 * 32, clock.Y, 32, 32), damage);
        Assert.DoesNotContain(damage, r => Frames.Overlaps(r, new PixelRect(clock.X, clock.Y, 9 * 32, 32)));
    }

    [Fact]
    public void Scene_RendersFramesWithoutAllocating()
    {
        var time = new ManualTimeProvider(Start);
        var scene = new DemoScene(new DemoProducerOptions { Width = 1280, Height = 720 }, time);
        byte[] buffer = new byte[1280 * 4 * 720];
        InputEvent[] events = [InputEvent.Key(30, down: true), InputEvent.Key(30, down: false), InputEvent.Wheel(0, 120)];
        for (int i = 0; i < 10; i++)
        {
            scene.Render(buffer, 1280 * 4); // warm up: first frame, JIT
            time.Advance(FrameTime);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++) // crosses a picture change at 5 s
        {
            scene.HandleInput(InputEvent.Pointer(i * 6, 300 + i % 40, (uint)(i / 50)));
            scene.HandleInput(events[i % events.Length]);
            scene.Render(buffer, 1280 * 4);
            time.Advance(FrameTime);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Scene_KeysTypeCharactersWithShiftBackspaceEnterAndUnknownKeys()
    {
        var scene = new DemoScene(new DemoProducerOptions(), new ManualTimeProvider(Start));
        void Tap(ushort code)
        {
            scene.HandleInput(InputEvent.Key(code, down: true));
            scene.HandleInput(InputEvent.Key(code, down: false));
        }
        scene.HandleInput(InputEvent.Key(42, down: true)); // shift
        Tap(35); // H
        Tap(2); // !
        scene.HandleInput(InputEvent.Key(42, down: false));
        Tap(23); // i
        Tap(29); // ctrl types nothing
        Tap(57); // space
        Tap(59); // F1 has no character
        Tap(11); // 0
        Tap(14); // backspace removes the 0
        Tap(28); // enter
        Assert.Equal("H!i ?|", scene.Typed.ToString());

        for (int i = 0; i < 70; i++)
        {
            Tap((ushort)(2 + i % 10)); // digits 1..0
        }
        Assert.Equal(60, scene.Typed.Length); // the newest 60 stay
        Assert.Equal(string.Concat(Enumerable.Repeat("1234567890", 6)), scene.Typed.ToString());
    }

    [Fact]
    public void Scene_PointerTrailShowsTheLast32Positions()
    {
        var time = new ManualTimeProvider(Start);
        var scene = new DemoScene(new DemoProducerOptions { Width = 1280, Height = 720 }, time);
        byte[] buffer = new byte[1280 * 4 * 720];
        scene.Render(buffer, 1280 * 4);
        uint background = Frames.Pixel(buffer, 1280 * 4, 100, 690);
        for (int i = 0; i < 40; i++)
        {
            scene.HandleInput(InputEvent.Pointer(100 + 24 * i, 690, i < 39 ? 0 : InputEvent.ButtonLeft));
        }
        scene.Render(buffer, 1280 * 4);
        for (int i = 0; i < 40; i++)
        {
            uint pixel = Frames.Pixel(buffer, 1280 * 4, 100 + 24 * i, 690);
            if (i < 8)
            {
                Assert.Equal(background, pixel); // dropped from the trail
            }
            else
            {
                Assert.NotEqual(background, pixel);
            }
        }
        // Pressed buttons change the dot colour.
        Assert.NotEqual(Frames.Pixel(buffer, 1280 * 4, 100 + 24 * 38, 690), Frames.Pixel(buffer, 1280 * 4, 100 + 24 * 39, 690));
    }
}
