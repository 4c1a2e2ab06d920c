using System.Diagnostics;

namespace WebConsole.Bench;

/// <summary>Median wall-clock time of repeated runs, after a warm-up that lets tiered JIT and pools settle.</summary>
internal static class Timing
{
    public const int DefaultWarmUp = 3;

    /// <summary>Runs <paramref name="body"/> <paramref name="warmUp"/> + <paramref name="runs"/> times; returns the median of the timed runs in milliseconds and the last result.</summary>
    public static (double MedianMs, long Result) Median(int runs, Func<long> body, int warmUp = DefaultWarmUp)
    {
        long result = 0;
        for (int i = 0; i < warmUp; i++)
        {
            result = body();
        }
        var times = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            result = body();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        double median = runs % 2 == 1 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
        return (median, result);
    }
}
