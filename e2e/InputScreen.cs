using Microsoft.Playwright;
using WebConsole.Region;

namespace WebConsole.E2E;

/// <summary>Helpers of the input tests: where a frame pixel is on the page, and input event shorthands.</summary>
internal static class InputScreen
{
    /// <summary>The page (CSS) position of the centre of frame pixel (x, y), whatever the scale.</summary>
    public static async Task<(float X, float Y)> ClientPointAsync(IPage page, int x, int y)
    {
        float[] p = await page.EvaluateAsync<float[]>(
            """
            ([x, y]) => {
                const c = document.getElementById('canvas'), r = c.getBoundingClientRect();
                return [r.left + (x + 0.5) * r.width / c.width, r.top + (y + 0.5) * r.height / c.height];
            }
            """, new[] { x, y });
        return (p[0], p[1]);
    }

    public static InputEvent Down(ushort code) => InputEvent.Key(code, true);

    public static InputEvent Up(ushort code) => InputEvent.Key(code, false);

    public static List<InputEvent> Keys(this List<InputEvent> events) => events.FindAll(e => e.Type == InputEventType.Key);

    public static List<InputEvent> Pointers(this List<InputEvent> events) => events.FindAll(e => e.Type == InputEventType.Pointer);

    /// <summary>Dispatches a synthetic key event on the canvas (for codes a US keyboard in Playwright cannot press).</summary>
    public static Task DispatchKeyAsync(IPage page, string type, string code, string key) => page.EvaluateAsync(
        "([type, code, key]) => document.getElementById('canvas').dispatchEvent(new KeyboardEvent(type, { code, key, bubbles: true, cancelable: true }))",
        new[] { type, code, key });
}
