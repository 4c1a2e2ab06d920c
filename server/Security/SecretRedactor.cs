using System.Buffers;
using System.Text;

namespace WebConsole.Security;

/// <summary>
/// Blanks every secret out of log text: tickets (<see cref="TicketRedactor"/>), the configured API
/// keys literally (as written and URL-encoded), and any run of characters shaped like one of them
/// (the same character classes, a length within a quarter of the key's: a mistyped, rotated or
/// foreign key). Text that holds none costs a few vectorized searches (<see cref="MayHoldSecret"/>).
/// Thread-safe.
/// </summary>
internal sealed class SecretRedactor
{
    private const int Lower = 1, Upper = 2, Digit = 4, Other = 8;

    private readonly string[] _literals;
    private readonly (int Length, int Classes)[] _shapes;
    private readonly SearchValues<char> _keyChars;
    private readonly int _minRun;
    private readonly int _maxRun;

    public SecretRedactor(IEnumerable<string?> apiKeys)
    {
        var literals = new HashSet<string>(StringComparer.Ordinal);
        var shapes = new List<(int, int)>();
        var chars = new HashSet<char>();
        for (char c = 'a'; c <= 'z'; c++)
        {
            chars.Add(c);
            chars.Add(char.ToUpperInvariant(c));
        }
        for (char c = '0'; c <= '9'; c++)
        {
            chars.Add(c);
        }
        chars.Add('-');
        chars.Add('_');
        _minRun = int.MaxValue;
        foreach (string? key in apiKeys)
        {
            if (string.IsNullOrEmpty(key) || key.Length < 8)
            {
                continue; // the validator refuses it; redacting a short word everywhere would only garble logs
            }
            literals.Add(key);
            literals.Add(Uri.EscapeDataString(key));
            literals.Add(System.Net.WebUtility.UrlEncode(key));
            foreach (char c in key)
            {
                if (!char.IsWhiteSpace(c) && !"=&?/.:;,+%#@\"'<>()[]{}|\\".Contains(c, StringComparison.Ordinal))
                {
                    chars.Add(c);
                }
            }
            shapes.Add((key.Length, Classes(key)));
            _minRun = Math.Min(_minRun, key.Length - (key.Length / 4));
            _maxRun = Math.Max(_maxRun, key.Length + (key.Length / 4));
        }
        _literals = [.. literals.OrderByDescending(l => l.Length)];
        _shapes = [.. shapes];
        _keyChars = SearchValues.Create([.. chars]);
    }

    /// <summary>A redactor for tickets only (no API key configured).</summary>
    public static SecretRedactor TicketsOnly { get; } = new([]);

    /// <summary>False for text that certainly holds no secret; true when <see cref="Redact"/> may change it.</summary>
    public bool MayHoldSecret(string? text)
    {
        if (text is null)
        {
            return false;
        }
        if (TicketRedactor.MayHoldTicket(text))
        {
            return true;
        }
        foreach (string literal in _literals)
        {
            if (text.Contains(literal, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return _shapes.Length > 0 && NextKeyShaped(text, 0, out _, out _);
    }

    public string Redact(string text)
    {
        if (!MayHoldSecret(text))
        {
            return text;
        }
        foreach (string literal in _literals)
        {
            text = text.Replace(literal, TicketRedactor.Redacted, StringComparison.Ordinal);
        }
        text = TicketRedactor.Redact(text);
        if (_shapes.Length == 0 || !NextKeyShaped(text, 0, out int start, out int length))
        {
            return text;
        }
        var result = new StringBuilder(text.Length);
        int done = 0;
        do
        {
            result.Append(text, done, start - done).Append(TicketRedactor.Redacted);
            done = start + length;
        }
        while (NextKeyShaped(text, done, out start, out length));
        return result.Append(text, done, text.Length - done).ToString();
    }

    /// <summary>The next run of key characters at or after <paramref name="from"/> shaped like a configured key.</summary>
    private bool NextKeyShaped(string text, int from, out int start, out int length)
    {
        ReadOnlySpan<char> all = text.AsSpan();
        int i = from;
        while (i < all.Length)
        {
            int skip = all[i..].IndexOfAny(_keyChars);
            if (skip < 0)
            {
                break;
            }
            i += skip;
            int run = all[i..].IndexOfAnyExcept(_keyChars);
            run = run < 0 ? all.Length - i : run;
            if (run >= _minRun && run <= _maxRun && IsKeyShaped(all.Slice(i, run)))
            {
                start = i;
                length = run;
                return true;
            }
            i += run;
        }
        start = length = 0;
        return false;
    }

    private bool IsKeyShaped(ReadOnlySpan<char> run)
    {
        int classes = Classes(run);
        foreach (var (keyLength, keyClasses) in _shapes)
        {
            if (classes == keyClasses && Math.Abs(run.Length - keyLength) <= keyLength / 4)
            {
                return true;
            }
        }
        return false;
    }

    private static int Classes(ReadOnlySpan<char> text)
    {
        int classes = 0;
        foreach (char c in text)
        {
            classes |= char.IsAsciiLetterLower(c) ? Lower : char.IsAsciiLetterUpper(c) ? Upper : char.IsAsciiDigit(c) ? Digit : Other;
        }
        return classes;
    }
}
