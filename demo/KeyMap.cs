namespace WebConsole.Demo;

/// <summary>Evdev keycodes (linux/input-event-codes.h) to the characters of a US keyboard.</summary>
internal static class KeyMap
{
    public const ushort Backspace = 14;
    public const ushort Enter = 28;
    public const ushort LeftCtrl = 29;
    public const ushort LeftShift = 42;
    public const ushort RightShift = 54;
    public const ushort LeftAlt = 56;
    public const ushort CapsLock = 58;
    public const ushort RightCtrl = 97;
    public const ushort RightAlt = 100;
    public const ushort LeftMeta = 125;
    public const ushort RightMeta = 126;

    // Indexed by keycode 0..57; '?' where a key has no character of its own.
    private const string Plain = "??1234567890-=??qwertyuiop[]??asdfghjkl;'`?\\zxcvbnm,./?*? ";
    private const string Shifted = "??!@#$%^&*()_+??QWERTYUIOP{}??ASDFGHJKL:\"~?|ZXCVBNM<>??*? ";

    /// <summary>True for keys that only modify others: they type nothing.</summary>
    public static bool IsModifier(ushort code) => code is LeftCtrl or LeftShift or RightShift or LeftAlt or CapsLock
        or RightCtrl or RightAlt or LeftMeta or RightMeta;

    /// <summary>The character a key types; '?' for keys without one (function keys, arrows, ...).</summary>
    public static char Translate(ushort code, bool shift, bool capsLock)
    {
        if (code >= Plain.Length)
        {
            return '?';
        }
        char c = shift ? Shifted[code] : Plain[code];
        if (capsLock && char.IsAsciiLetter(c))
        {
            c = (char)(c ^ 0x20); // caps lock inverts the case shift gives letters
        }
        return c;
    }
}
