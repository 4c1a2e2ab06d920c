namespace WebConsole.Consoles.Libvirt;

/// <summary>
/// <c>Libvirt:Domains</c>: glob patterns (<c>*</c> any run, <c>?</c> one character, case-sensitive
/// as libvirt's names are) matched against a domain's name or UUID. No patterns: every domain.
/// </summary>
internal sealed class LibvirtDomainFilter(IEnumerable<string> patterns)
{
    private readonly string[] _patterns = [.. patterns];

    public bool Admits(string name, string uuid)
    {
        if (_patterns.Length == 0)
        {
            return true;
        }
        foreach (string pattern in _patterns)
        {
            if (Matches(pattern, name) || Matches(pattern, uuid))
            {
                return true;
            }
        }
        return false;
    }

    public static bool IsValidPattern(string pattern) =>
        pattern.Length is > 0 and <= LibvirtOptionsValidator.MaxLength && !pattern.Any(char.IsControl);

    /// <summary>Glob match without backtracking blow-up: the last '*' is the only point to return to.</summary>
    public static bool Matches(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }
        return p == pattern.Length;
    }
}
