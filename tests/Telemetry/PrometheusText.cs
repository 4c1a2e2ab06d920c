using System.Globalization;

namespace WebConsole.Tests.Telemetry;

/// <summary>Reads sample values out of a Prometheus text exposition.</summary>
internal sealed class PrometheusText(string text)
{
    public string Text { get; } = text;

    /// <summary>
    /// The value of the sample <paramref name="name"/> whose labels include every
    /// <c>key="value"</c> of <paramref name="labels"/>; null when there is none.
    /// </summary>
    public double? Value(string name, params (string Key, string Value)[] labels)
    {
        foreach (string line in Text.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(name, StringComparison.Ordinal))
            {
                continue;
            }
            string rest = line[name.Length..];
            if (rest.Length == 0 || (rest[0] != '{' && rest[0] != ' '))
            {
                continue; // a longer name with the same prefix
            }
            int close = rest.IndexOf('}', StringComparison.Ordinal);
            string labelText = rest[0] == '{' && close > 0 ? rest[1..close] : "";
            bool all = true;
            foreach (var (key, value) in labels)
            {
                all &= labelText.Contains($"{key}=\"{value}\"", StringComparison.Ordinal);
            }
            if (!all)
            {
                continue;
            }
            string[] fields = rest[(close + 1)..].Trim().Split(' ');
            return double.Parse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        return null;
    }

    /// <summary>Like <see cref="Value"/>, but 0 when the series is absent (a counter not yet moved).</summary>
    public double ValueOrZero(string name, params (string Key, string Value)[] labels) => Value(name, labels) ?? 0;
}
