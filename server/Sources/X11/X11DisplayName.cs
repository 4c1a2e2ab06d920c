using System.Globalization;

namespace WebConsole.Sources.X11;

/// <summary>
/// An X display name as libxcb reads it: <c>[host]:display[.screen]</c>. No host (or <c>unix</c>)
/// means the local socket <c>/tmp/.X11-unix/X&lt;display&gt;</c>; a host means TCP port 6000 + display.
/// </summary>
internal sealed record X11DisplayName(string? Host, int Display, int Screen)
{
    public const int TcpBase = 6000;

    public bool IsLocal => Host is null;

    /// <summary>The local socket's path (also bound under the abstract name with a leading NUL on Linux).</summary>
    public string SocketPath => $"/tmp/.X11-unix/X{Display}";

    public static bool TryParse(string text, out X11DisplayName? name)
    {
        name = null;
        int colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            return false;
        }
        string host = text[..colon];
        string rest = text[(colon + 1)..];
        int dot = rest.IndexOf('.');
        string number = dot < 0 ? rest : rest[..dot];
        int screen = 0;
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out int display) || display > ushort.MaxValue - TcpBase ||
            (dot >= 0 && !int.TryParse(rest[(dot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out screen)))
        {
            return false;
        }
        name = new X11DisplayName(host is "" or "unix" ? null : host, display, screen);
        return true;
    }
}
