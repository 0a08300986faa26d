using System.Diagnostics;

namespace HandInHand.Benchmark;

/// <summary>The whole benchmark, phase by phase; progress goes to stderr, the results into a <see cref="BenchmarkReport"/>.</summary>
internal static class BenchmarkRun
{
    public static async Task<BenchmarkReport> RunAsync(BenchmarkOptions options)
    {
        var report = new BenchmarkReport { Options = options, StartedAt = DateTimeOffset.UtcNow };
        var run = "b" + Guid.NewGuid().ToString("N")[..8];
        var mailbox = Path.Combine(Path.GetTempPath(), "handinhand-bench-" + run);
        try
        {
            await IntakeAsync(options, run, mailbox, report);
            await ReportsAsync(options, run, mailbox, report);
        }
        finally
        {
            if (Directory.Exists(mailbox))
            {
                Directory.Delete(mailbox, recursive: true);
            }
        }

        report.FinishedAt = DateTimeOffset.UtcNow;
        return report;
    }

    private static async Task IntakeAsync(BenchmarkOptions options, string run, string mailbox, BenchmarkReport report)
    {
        var duration = TimeSpan.FromSeconds(options.IntakeSeconds);
        Log($"raw single-entity inserts: {options.Workers} in flight for {duration.TotalSeconds} s");
        report.RawInsert = await IntakeBenchmark.RawInsertsAsync(options.ConnectionString, run + "raw", options.Workers, duration);
        Log($"  {report.RawInsert.PerSecond:0}/s");

        Log("starting the host for intake");
        using var host = await HostProcess.StartAsync(new Dictionary<string, string>
        {
            ["Storage__ConnectionString"] = options.ConnectionString,
            ["Storage__TablePrefix"] = run + "in",
            ["Notifications__DevelopmentMailboxPath"] = Path.Combine(mailbox, "intake"),
            // One client address sends the whole load: the public rate limits would cap it at a trickle.
            ["RateLimits__PerClientPermits"] = "100000000",
            ["RateLimits__TotalPermits"] = "100000000",
        });
        report.HostRssAfterStartKiB = host.StatusKiB("VmRSS");
        Log($"intake through the host: {options.Workers} referrers for {duration.TotalSeconds} s");
        report.Intake = await IntakeBenchmark.IntakeAsync(host.BaseAddress, options.Workers, duration, seed: 8);
        report.HostPeakRssKiB = host.StatusKiB("VmHWM");
        Log($"  {report.Intake.PerSecond:0}/s, {report.Intake.Failed} failed, host peak RSS {report.HostPeakRssKiB / 1024} MiB");
    }

    private static async Task ReportsAsync(BenchmarkOptions options, string run, string mailbox, BenchmarkReport report)
    {
        Log($"reports: seeding the report figures of {options.Referrals} referrals and timing each report");
        await using var engine = await Engine.CreateAsync(options.ConnectionString, run + "rp", Path.Combine(mailbox, "reports"));
        report.Reports = await ReportsBenchmark.RunAsync(engine, options.Referrals);
        foreach (var timing in report.Reports.Timings.Where(t => !t.Name.Contains(':', StringComparison.Ordinal) || t.Name.StartsWith("all reports", StringComparison.Ordinal)))
        {
            Log($"  {timing.Name}: {Samples.Ms(timing.Milliseconds)} ms");
        }
    }

    private static void Log(string line) => Console.Error.WriteLine("[bench] " + line);
}
