namespace WebConsole.Bench;

/// <summary>Order statistics of a set of samples (linear interpolation between ranks).</summary>
internal sealed class Distribution
{
    private readonly double[] _sorted;

    public Distribution(IEnumerable<double> samples)
    {
        _sorted = [.. samples];
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;

    public double Median => Percentile(50);

    public double P95 => Percentile(95);

    public double Min => _sorted.Length == 0 ? double.NaN : _sorted[0];

    public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];

    /// <summary>The <paramref name="percent"/>th percentile; NaN without samples.</summary>
    public double Percentile(double percent)
    {
        if (_sorted.Length == 0)
        {
            return double.NaN;
        }
        double rank = percent / 100 * (_sorted.Length - 1);
        int below = (int)Math.Floor(rank);
        int above = Math.Min(below + 1, _sorted.Length - 1);
        return _sorted[below] + (rank - below) * (_sorted[above] - _sorted[below]);
    }
}
