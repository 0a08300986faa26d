namespace HandInHand.Benchmark;

/// <summary>One report's timing over the loaded referrals.</summary>
internal sealed record ReportTiming(string Name, double Milliseconds, string Detail);

/// <summary>The reports measurement's outcome: timings, or why there are none.</summary>
internal sealed record ReportsResult(string Status, IReadOnlyList<ReportTiming> Timings);

/// <summary>
/// Reports over as many referrals as the run loaded: the host's own report benchmark
/// (<see cref="Host.Reports.ReportBenchmark"/>) seeds that many referrals' report figures through
/// the storage layer in batches, spread over three years, and times every report over four ranges.
/// </summary>
internal static class ReportsBenchmark
{
    public const string NotRun = "reports: not run";

    public static ReportsResult NotYet() => new(NotRun, []);

    public static async Task<ReportsResult> RunAsync(Engine engine, int referrals)
    {
        var timings = await Host.Reports.ReportBenchmark.RunAsync(engine.Services, referrals, DateOnly.FromDateTime(DateTime.UtcNow));
        return new("measured", [.. timings.Select(t => new ReportTiming(t.Name.Trim(), t.Elapsed.TotalMilliseconds, t.Detail))]);
    }
}
