using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace WebConsole.Bench;

/// <summary>
/// The kernel's per-connection TCP counters, read with <c>ss -tin</c> (iproute2): <c>bytes_sent</c>
/// is tcpi_bytes_sent of struct tcp_info, the TCP payload bytes a socket has sent (WebSocket and
/// SignalR framing included, TCP/IP headers and retransmissions excluded; loopback retransmits none).
/// </summary>
internal static partial class TcpCounters
{
    /// <summary>bytes_sent of every established connection whose local port is <paramref name="port"/>, keyed by the peer address.</summary>
    public static Dictionary<string, long> BytesSentFromPort(int port)
    {
        var info = new ProcessStartInfo("ss")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "-tinH", "state", "established", $"( sport = :{port} )" })
        {
            info.ArgumentList.Add(arg);
        }
        using Process ss = Process.Start(info) ?? throw new InvalidOperationException("cannot run ss");
        string output = ss.StandardOutput.ReadToEnd();
        ss.WaitForExit();
        if (ss.ExitCode != 0)
        {
            throw new InvalidOperationException($"ss failed: {ss.StandardError.ReadToEnd()}");
        }
        // One socket is an address line (local, peer) followed by an indented line of counters.
        var sent = new Dictionary<string, long>(StringComparer.Ordinal);
        string? peer = null;
        foreach (string line in output.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }
            if (!char.IsWhiteSpace(line[0]))
            {
                // The local address ends in :port and the peer's follows it (whether or not ss prints a State column).
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                int local = Array.FindIndex(parts, p => p.EndsWith($":{port}", StringComparison.Ordinal));
                peer = local >= 0 && local + 1 < parts.Length ? parts[local + 1] : null;
                continue;
            }
            Match match = BytesSent().Match(line);
            if (peer is not null && match.Success)
            {
                sent[peer] = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            }
            peer = null;
        }
        return sent;
    }

    /// <summary>Bytes sent between two snapshots; a connection opened in between counts from zero.</summary>
    public static long Delta(Dictionary<string, long> before, Dictionary<string, long> after)
    {
        long total = 0;
        foreach ((string peer, long bytes) in after)
        {
            total += bytes - before.GetValueOrDefault(peer);
        }
        return total;
    }

    [GeneratedRegex(@"\bbytes_sent:(\d+)")]
    private static partial Regex BytesSent();
}
