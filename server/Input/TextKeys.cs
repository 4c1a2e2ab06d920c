namespace WebConsole.Input;

/// <summary>
/// Printable ASCII as key presses on a US QWERTY layout, for "type text": the guest must use that
/// layout for the characters to come out as written (letters, digits and space match most layouts).
/// </summary>
public static class TextKeys
{
    /// <summary>evdev KEY_LEFTSHIFT.</summary>
    public const ushort LeftShift = 42;

    private const string Unshifted = "`1234567890-=qwertyuiop[]\\asdfghjkl;'zxcvbnm,./ \n\t";
    private const string Shifted = "~!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:\"ZXCVBNM<>?";

    // evdev codes in the order of the strings above.
    private static readonly ushort[] s_codes =
    [
        41, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
        16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 43,
        30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
        44, 45, 46, 47, 48, 49, 50, 51, 52, 53,
        57, 28, 15,
    ];

    /// <summary>The key for <paramref name="c"/> and whether Shift must be held; false for anything else.</summary>
    public static bool TryGetKey(char c, out ushort code, out bool shift)
    {
        int i = Unshifted.IndexOf(c, StringComparison.Ordinal);
        shift = false;
        if (i < 0)
        {
            i = Shifted.IndexOf(c, StringComparison.Ordinal);
            shift = i >= 0;
        }
        if (i < 0)
        {
            code = 0;
            return false;
        }
        code = s_codes[i];
        return true;
    }
}
