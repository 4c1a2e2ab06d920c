using System.Text;
using System.Text.Unicode;

namespace WebConsole.Sources.Clipboard;

/// <summary>
/// The one place clipboard text from a peer (a viewer, an X client, a guest agent) is checked:
/// its size against the limit before anything is allocated from it, and strict UTF-8. Also the
/// names of <see cref="ClipboardDirections"/> in configuration and tickets.
/// </summary>
public static class ClipboardText
{
    /// <summary>The names configuration and tickets use, for messages.</summary>
    public const string DirectionNames = "none, to-guest, from-guest or both";

    private static readonly UTF8Encoding s_strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// <paramref name="utf8"/> as text when it is at most <paramref name="maxBytes"/> bytes of valid
    /// UTF-8; otherwise null with the problem in words (sizes only, never the text).
    /// </summary>
    public static string? TryDecode(ReadOnlySpan<byte> utf8, int maxBytes, out string? problem)
    {
        if (utf8.Length > maxBytes)
        {
            problem = $"clipboard text of {utf8.Length} bytes is over the limit of {maxBytes} bytes";
            return null;
        }
        if (!Utf8.IsValid(utf8))
        {
            problem = $"clipboard text of {utf8.Length} bytes is not valid UTF-8";
            return null;
        }
        problem = null;
        return s_strict.GetString(utf8);
    }

    /// <summary>The UTF-8 bytes of <paramref name="text"/> (strict: a lone surrogate throws <see cref="EncoderFallbackException"/>).</summary>
    public static byte[] Encode(string text) => s_strict.GetBytes(text);

    /// <summary>True when <paramref name="text"/> is well-formed (no lone surrogate) and at most <paramref name="maxBytes"/> in UTF-8.</summary>
    public static bool Fits(string text, int maxBytes, out int bytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        bytes = 0;
        if (text.Length > maxBytes)
        {
            return false; // every char is at least one byte
        }
        try
        {
            bytes = s_strict.GetByteCount(text);
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
        return bytes <= maxBytes;
    }

    public static bool TryParseDirections(string? text, out ClipboardDirections directions)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "none":
                directions = ClipboardDirections.None;
                return true;
            case "to-guest":
                directions = ClipboardDirections.ToGuest;
                return true;
            case "from-guest":
                directions = ClipboardDirections.FromGuest;
                return true;
            case "both":
                directions = ClipboardDirections.Both;
                return true;
            default:
                directions = ClipboardDirections.None;
                return false;
        }
    }

    public static string Format(ClipboardDirections directions) => directions switch
    {
        ClipboardDirections.ToGuest => "to-guest",
        ClipboardDirections.FromGuest => "from-guest",
        ClipboardDirections.Both => "both",
        _ => "none",
    };

    public static bool TryParseSelection(string? text, out ClipboardSelections selections)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "clipboard":
                selections = ClipboardSelections.Clipboard;
                return true;
            case "primary":
                selections = ClipboardSelections.Primary;
                return true;
            case "both":
                selections = ClipboardSelections.Both;
                return true;
            default:
                selections = ClipboardSelections.Clipboard;
                return false;
        }
    }
}
