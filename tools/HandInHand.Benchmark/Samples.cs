using System.Diagnostics;
using System.Globalization;

namespace HandInHand.Benchmark;

/// <summary>Latency samples of one measurement, recorded from many workers at once.</summary>
internal sealed class Samples
{
    private readonly List<double> _milliseconds = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _milliseconds.Count;
            }
        }
    }

    public void Add(TimeSpan elapsed)
    {
        lock (_gate)
        {
            _milliseconds.Add(elapsed.TotalMilliseconds);
        }
    }

    public void AddTicks(long startTimestamp) => Add(Stopwatch.GetElapsedTime(startTimestamp));

    /// <summary>The nearest-rank percentile (0–100) of the recorded samples, in milliseconds; NaN without samples.</summary>
    public double Percentile(double p)
    {
        lock (_gate)
        {
            return PercentileOf(_milliseconds, p);
        }
    }

    public static double PercentileOf(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static string Ms(double value) => double.IsNaN(value) ? "n/a" : value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);
}
