using System.Globalization;

namespace WebConsole.Bench;

/// <summary>
/// One workload's Markdown table in the peers benchmark: a row per measure, a column per peer,
/// then WebConsole/TigerVNC for each WebConsole column (below 1 means WebConsole needed less:
/// every row is a time, a cost or a count where less is better, except the fps rows, where more is).
/// </summary>
internal sealed class PeerTable
{
    private readonly string _reference;
    private readonly List<string> _peers;
    private readonly List<(string Measure, string Format, Dictionary<string, double> Values)> _rows = [];

    public PeerTable(IEnumerable<string> peers, string reference)
    {
        _peers = [.. peers];
        _reference = reference;
    }

    public void Set(string measure, string peer, double value, string format = "F1")
    {
        int row = _rows.FindIndex(r => r.Measure == measure);
        if (row < 0)
        {
            _rows.Add((measure, format, []));
            row = _rows.Count - 1;
        }
        _rows[row].Values[peer] = value;
    }

    /// <summary>The value of <paramref name="measure"/> for <paramref name="peer"/>; NaN when it was not measured.</summary>
    public double Get(string measure, string peer)
    {
        int row = _rows.FindIndex(r => r.Measure == measure);
        return row >= 0 && _rows[row].Values.TryGetValue(peer, out double value) ? value : double.NaN;
    }

    public void Print(TextWriter output)
    {
        bool ratios = _peers.Contains(_reference);
        string[] compared = ratios ? [.. _peers.Where(p => p != _reference)] : [];
        output.WriteLine($"| | {string.Join(" | ", _peers)} |{string.Concat(compared.Select(p => $" {p} / {_reference} |"))}");
        output.WriteLine($"|---|{string.Concat(_peers.Select(_ => "---:|"))}{string.Concat(compared.Select(_ => "---:|"))}");
        foreach ((string measure, string format, Dictionary<string, double> values) in _rows)
        {
            string cells = string.Concat(_peers.Select(p => $" {Cell(values, p, format)} |"));
            string ratioCells = string.Concat(compared.Select(p => $" {Ratio(values, p)} |"));
            output.WriteLine($"| {measure} |{cells}{ratioCells}");
        }
    }

    private static string Cell(Dictionary<string, double> values, string peer, string format) =>
        values.TryGetValue(peer, out double v) && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    private string Ratio(Dictionary<string, double> values, string peer) =>
        values.TryGetValue(peer, out double a) && values.TryGetValue(_reference, out double b) && double.IsFinite(a) && double.IsFinite(b) && b != 0
            ? (a / b).ToString("F2", CultureInfo.InvariantCulture)
            : "-";
}
