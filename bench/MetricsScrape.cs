using System.Globalization;
using System.Text.RegularExpressions;

namespace WebConsole.Bench;

/// <summary>The server's <c>/metrics</c> (Prometheus text format) as series -> value, read by the benchmarks.</summary>
internal static partial class MetricsScrape
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Every sample line, keyed by <c>name{labels}</c>.</summary>
    public static async Task<Dictionary<string, double>> ReadAsync(Uri baseAddress)
    {
        string text = await s_http.GetStringAsync(new Uri(baseAddress, "metrics"));
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (Match m in SampleLine().Matches(text))
        {
            values[m.Groups[1].Value] = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        }
        return values;
    }

    /// <summary>The sum of the series named <paramref name="name"/> whose labels contain every one of <paramref name="labels"/>; 0 when none.</summary>
    public static double Sum(Dictionary<string, double> metrics, string name, params string[] labels)
    {
        double sum = 0;
        foreach ((string series, double value) in metrics)
        {
            if (series.StartsWith(name + "{", StringComparison.Ordinal) && labels.All(l => series.Contains(l, StringComparison.Ordinal)))
            {
                sum += value;
            }
        }
        return sum;
    }

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*\{[^}]*\})\s+([0-9.eE+-]+|NaN)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
