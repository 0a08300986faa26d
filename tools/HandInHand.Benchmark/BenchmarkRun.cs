using System.Diagnostics;
using HandInHand.Domain.Lifecycle;
using Microsoft.Extensions.Options;

namespace HandInHand.Benchmark;

/// <summary>The whole benchmark, phase by phase; progress goes to stderr, the results into a <see cref="BenchmarkReport"/>.</summary>
internal static class BenchmarkRun
{
    /// <summary>Due timers fired by the one timed "busy" tick at each size.</summary>
    private const int BusyTimers = 100;

    public static async Task<BenchmarkReport> RunAsync(BenchmarkOptions options)
    {
        var report = new BenchmarkReport { Options = options, StartedAt = DateTimeOffset.UtcNow };
        var run = "b" + Guid.NewGuid().ToString("N")[..8];
        var mailbox = Path.Combine(Path.GetTempPath(), "handinhand-bench-" + run);
        try
        {
            await IntakeAsync(options, run, mailbox, report);
            await TimersAsync(options, run, mailbox, report);
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

    private static async Task TimersAsync(BenchmarkOptions options, string run, string mailbox, BenchmarkReport report)
    {
        await using var engine = await Engine.CreateAsync(options.ConnectionString, run + "wf", Path.Combine(mailbox, "timers"));
        var population = new Population(engine);
        var triageReminderAfter = engine.Get<IOptions<LifecycleSettings>>().Value.TriageReminderAfter;
        var start = DateTimeOffset.UtcNow;
        start = new DateTimeOffset(start.Ticks - (start.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        int[] sizes = [.. new[] { 1_000, 10_000, options.Referrals }.Where(s => s <= options.Referrals).Distinct().Order()];
        var loading = TimeSpan.Zero;
        var loaded = 0;
        for (var level = 0; level < sizes.Length; level++)
        {
            var last = level == sizes.Length - 1;
            var busyAt = start.AddHours(-3).AddMinutes(10 * level);
            var fill = sizes[level] - population.Count - BusyTimers - (last ? options.DueTimers : 0);
            var watch = Stopwatch.StartNew();
            // Open referrals whose timers all lie hours ahead of anything this benchmark's clock reaches.
            await population.AddAsync(fill, i => start.AddHours(-1).AddMilliseconds(i % 1000), options.LoadWorkers);
            if (last)
            {
                // The lag cohort: triage reminders due evenly over one minute from `start`.
                var n = options.DueTimers;
                var timers = await population.AddAsync(n, i => start - triageReminderAfter + TimeSpan.FromTicks(TimeSpan.TicksPerMinute * i / n), options.LoadWorkers);
                report.LagDue = timers.Where(t => t.Kind == nameof(TimerKind.TriageReminder)).ToDictionary(t => t.Reference, t => t.DueAt, StringComparer.Ordinal);
            }

            await population.AddAsync(BusyTimers, _ => busyAt - triageReminderAfter, options.LoadWorkers);
            watch.Stop();
            loading += watch.Elapsed;
            loaded += sizes[level] - loaded;
            Log($"loaded {population.Count} open referrals ({Population.Describe(sizes[level] - (level == 0 ? 0 : sizes[level - 1]), watch)})");

            var cost = await TimerBenchmarks.TickCostAsync(engine, population.Count, busyAt.AddMinutes(-1), busyAt.AddMinutes(1), BusyTimers, repeats: 30);
            report.Ticks.Add(cost);
            Log($"  idle tick p50 {Samples.Ms(cost.Idle.Percentile(50))} ms, busy tick {Samples.Ms(cost.BusyMs)} ms for {cost.BusyFired} timers");

            // Work off the busy tick's follow-up rows (its outboxes' index rows) so the next size starts clean.
            engine.Clock.Set(busyAt.AddMinutes(5));
            var dispatcher = engine.Get<HandInHand.Infrastructure.Workflow.Dispatcher>();
            while ((await dispatcher.TickAsync()).Due > 0)
            {
            }
        }

        report.Population = new Throughput(loaded, 0, loading, new Samples());
        Log($"timer lag: {options.DueTimers} reminders due within one minute among {population.Count} open referrals");
        report.Lag = await TimerBenchmarks.LagAsync(engine, report.LagDue, population.Count, start, TimeSpan.FromSeconds(options.LagTimeoutSeconds));
        Log($"  p50 {Samples.Ms(report.Lag.Lag.Percentile(50))} ms, p99 {Samples.Ms(report.Lag.Lag.Percentile(99))} ms, {report.Lag.Recorded}/{report.Lag.Timers} recorded");
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
