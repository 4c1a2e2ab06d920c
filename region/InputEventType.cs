namespace WebConsole.Region;

/// <summary>Kinds of input event in the region's input ring.</summary>
public enum InputEventType : ushort
{
    /// <summary>Code is an evdev keycode; value 1 = press, 0 = release.</summary>
    Key = 1,
    /// <summary>X, Y absolute frame pixels; value is the button mask.</summary>
    Pointer = 2,
    /// <summary>X, Y in 1/120 of a notch; positive = right, down.</summary>
    Wheel = 3,
}
