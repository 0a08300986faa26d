namespace HandInHand.Benchmark;

/// <summary>One report's timing over the loaded referrals.</summary>
internal sealed record ReportTiming(string Name, double Milliseconds);

/// <summary>The reports measurement's outcome: timings, or why there are none.</summary>
internal sealed record ReportsResult(string Status, IReadOnlyList<ReportTiming> Timings);

/// <summary>
/// EXTENSION POINT — reports over 100,000 referrals. The reports (PRODUCT.md §5) are being built
/// on another branch. Once they exist, time each one here against the referrals that
/// <see cref="BenchmarkRun"/> has just loaded (the engine's services are available the same way
/// <see cref="TimerBenchmarks"/> uses them), returning one <see cref="ReportTiming"/> per report.
/// Until then this says so, and the benchmark prints "reports: not yet available" rather than a number.
/// </summary>
internal static class ReportsBenchmark
{
    public const string NotYetAvailable = "reports: not yet available";

    public static ReportsResult Run() => new(NotYetAvailable, []);
}
