using WebConsole.Hubs;
using WebConsole.Region;

namespace WebConsole.Input;

/// <summary>
/// Turns a viewer's <see cref="InputMessage"/> into a region <see cref="InputEvent"/>, refusing
/// anything a real keyboard or mouse could not produce. Pointer coordinates are clamped to the
/// frame later, by the session, which knows its size.
/// </summary>
public static class InputTranslator
{
    /// <summary>Highest evdev keycode (KEY_MAX).</summary>
    public const int KeyMax = 0x2FF;

    /// <summary>evdev BTN_* codes live here; buttons travel as a pointer mask, never as keys.</summary>
    private const int ButtonFirst = 0x100, ButtonLast = 0x15F;

    private const int AllButtons = (int)(InputEvent.ButtonLeft | InputEvent.ButtonMiddle | InputEvent.ButtonRight |
        InputEvent.ButtonBack | InputEvent.ButtonForward);

    /// <summary>The event, or null with <paramref name="problem"/> saying why it was refused.</summary>
    public static InputEvent? Translate(InputMessage? m, out string? problem)
    {
        problem = null;
        if (m is null)
        {
            problem = "null event";
            return null;
        }
        switch ((InputEventType)m.T)
        {
            case InputEventType.Key:
                if (m.Code is < 1 or > KeyMax || m.Code is >= ButtonFirst and <= ButtonLast)
                {
                    problem = $"unknown key code {m.Code}";
                    return null;
                }
                if (m.Value is not (0 or 1))
                {
                    problem = $"key value {m.Value} is neither 0 (release) nor 1 (press)";
                    return null;
                }
                return InputEvent.Key((ushort)m.Code, m.Value == 1);
            case InputEventType.Pointer:
                if ((m.Value & ~AllButtons) != 0)
                {
                    problem = $"unknown pointer buttons 0x{m.Value:X}";
                    return null;
                }
                return InputEvent.Pointer(m.X, m.Y, (uint)m.Value);
            case InputEventType.Wheel:
                if (m.X == 0 && m.Y == 0)
                {
                    problem = "empty wheel event";
                    return null;
                }
                return InputEvent.Wheel(Math.Clamp(m.X, -InputLimits.MaxWheel, InputLimits.MaxWheel),
                    Math.Clamp(m.Y, -InputLimits.MaxWheel, InputLimits.MaxWheel));
            default:
                problem = $"unknown input type {m.T}";
                return null;
        }
    }
}
