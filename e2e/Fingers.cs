using Microsoft.Playwright;

namespace WebConsole.E2E;

/// <summary>Touch events through the DevTools protocol (Playwright's own only taps).</summary>
internal sealed class Fingers(ICDPSession cdp)
{
    public static async Task<Fingers> OnAsync(IPage page) => new(await page.Context.NewCDPSessionAsync(page));

    public async Task Send(string type, params (float X, float Y)[] points) => await cdp.SendAsync("Input.dispatchTouchEvent", new Dictionary<string, object>
    {
        ["type"] = type,
        ["touchPoints"] = points.Select((p, i) => new Dictionary<string, object> { ["x"] = p.X, ["y"] = p.Y, ["id"] = i }).ToArray(),
    });

    public async Task TapAsync(float x, float y)
    {
        await Send("touchStart", (x, y));
        await Send("touchEnd");
    }

    public async Task DragAsync((float X, float Y) from, (float X, float Y) to, int steps = 6)
    {
        await Send("touchStart", from);
        for (int i = 1; i <= steps; i++)
        {
            await Send("touchMove", (from.X + (to.X - from.X) * i / steps, from.Y + (to.Y - from.Y) * i / steps));
        }
        await Send("touchEnd");
    }

    /// <summary>Two fingers around (x, y), from <paramref name="from"/> px apart to <paramref name="to"/> px apart (horizontally).</summary>
    public async Task PinchAsync(float x, float y, float from, float to, int steps = 8)
    {
        await Send("touchStart", (x - from / 2, y), (x + from / 2, y));
        for (int i = 1; i <= steps; i++)
        {
            float d = from + (to - from) * i / steps;
            await Send("touchMove", (x - d / 2, y), (x + d / 2, y));
        }
        await Send("touchEnd");
    }
}
