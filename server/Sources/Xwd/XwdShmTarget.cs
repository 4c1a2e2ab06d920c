using System.Globalization;

namespace WebConsole.Sources.Xwd;

/// <summary>
/// Which Xvfb <c>-shmem</c> segment an <c>xwd-shm:</c> source reads: screen <see cref="Screen"/>
/// of the Xvfb serving display <see cref="Display"/> (<c>:99</c>, <c>:99.1</c>; found again after
/// every restart), or the fixed segment <see cref="ShmId"/> (<c>shmid=123</c>).
/// </summary>
public sealed record XwdShmTarget(int? Display, int Screen, int? ShmId)
{
    /// <summary>Parses the part after <c>xwd-shm:</c>; false with a reason an operator can act on.</summary>
    public static bool TryParse(string text, out XwdShmTarget? target, out string? error)
    {
        target = null;
        error = null;
        if (text.StartsWith("shmid=", StringComparison.OrdinalIgnoreCase))
        {
            if (int.TryParse(text.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out int id))
            {
                target = new XwdShmTarget(null, 0, id);
                return true;
            }
            error = $"'{text}' is not shmid=N with N a shared memory id (Xvfb -shmem prints 'screen 0 shmid N')";
            return false;
        }
        if (text.StartsWith(':'))
        {
            string rest = text[1..];
            int dot = rest.IndexOf('.', StringComparison.Ordinal);
            string display = dot < 0 ? rest : rest[..dot];
            string screen = dot < 0 ? "0" : rest[(dot + 1)..];
            if (int.TryParse(display, NumberStyles.None, CultureInfo.InvariantCulture, out int d) &&
                int.TryParse(screen, NumberStyles.None, CultureInfo.InvariantCulture, out int s) && s < 256)
            {
                target = new XwdShmTarget(d, s, null);
                return true;
            }
        }
        error = $"'{text}' is neither a local X display such as :99 or :99.1 nor shmid=N";
        return false;
    }

    /// <inheritdoc />
    public override string ToString() => ShmId is int id
        ? $"shmid={id.ToString(CultureInfo.InvariantCulture)}"
        : $":{Display!.Value.ToString(CultureInfo.InvariantCulture)}.{Screen.ToString(CultureInfo.InvariantCulture)}";
}
