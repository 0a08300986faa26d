using System.Globalization;

namespace HandInHand.Benchmark;

/// <summary>The whole benchmark, phase by phase; progress goes to stderr, the results into a <see cref="BenchmarkReport"/>.</summary>
internal static class BenchmarkRun
{
    /// <summary>The practitioners configured in appsettings.json, one per region: each is given room for every referral of the run.</summary>
    private const int ConfiguredPractitioners = 5;

    public static async Task<BenchmarkReport> RunAsync(BenchmarkOptions options)
    {
        var report = new BenchmarkReport { Options = options, StartedAt = DateTimeOffset.UtcNow };
        var run = "b" + Guid.NewGuid().ToString("N")[..8];
        var mailbox = Path.Combine(Path.GetTempPath(), "handinhand-bench-" + run);
        try
        {
            await BaselinesAsync(options, run, report);
            await HostAsync(options, run, mailbox, report);
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

    private static async Task BaselinesAsync(BenchmarkOptions options, string run, BenchmarkReport report)
    {
        var duration = TimeSpan.FromSeconds(options.IntakeSeconds);
        Log($"raw single-entity inserts: {options.Workers} in flight for {duration.TotalSeconds} s");
        report.RawInsert = await IntakeBenchmark.RawInsertsAsync(options.ConnectionString, run + "raw", options.Workers, duration);
        Log($"  {report.RawInsert.PerSecond:0}/s");
        Log($"point reads: {options.Workers} in flight for 5 s");
        report.PointRead = await IntakeBenchmark.PointReadsAsync(options.ConnectionString, run + "raw", options.Workers, TimeSpan.FromSeconds(5));
        Log($"  p50 {Samples.Ms(report.PointRead.Latency.Percentile(50))} ms");
    }

    /// <summary>Every measurement through the host, in one host process, so that its peak RSS covers them all.</summary>
    private static async Task HostAsync(BenchmarkOptions options, string run, string mailbox, BenchmarkReport report)
    {
        var prefix = run + "h";
        var settings = new Dictionary<string, string>
        {
            ["Storage__ConnectionString"] = options.ConnectionString,
            ["Storage__TablePrefix"] = prefix,
            ["Orchestration__TaskHubName"] = run + "hub",
            ["Notifications__DevelopmentMailboxPath"] = Path.Combine(mailbox, "host"),
            // One client address sends the whole load: the public rate limits would cap it at a trickle.
            ["RateLimits__PerClientPermits"] = "100000000",
            ["RateLimits__TotalPermits"] = "100000000",
            // The cohort's reminders; no other timer of the run's referrals falls due while it runs (the shortest, triage's reminder, waits 4 hours).
            ["Lifecycle__InformationReminderAfter"] = string.Create(CultureInfo.InvariantCulture, $"PT{options.TimerDelaySeconds}S"),
        };
        for (var i = 0; i < ConfiguredPractitioners; i++)
        {
            // Room for every accepted referral, so each acceptance is allocated rather than put on the waiting list.
            settings[string.Create(CultureInfo.InvariantCulture, $"Practitioners__{i}__Capacity")] = (options.Referrals * 2).ToString(CultureInfo.InvariantCulture);
        }

        foreach (var (key, value) in options.HostSettings)
        {
            settings[key] = value;
        }

        Log("starting the host");
        using var host = await HostProcess.StartAsync(settings);
        report.HostRssAfterStartKiB = host.StatusKiB("VmRSS");

        var duration = TimeSpan.FromSeconds(options.IntakeSeconds);
        Log($"intake through the host: {options.Workers} referrers for {duration.TotalSeconds} s");
        report.Intake = await IntakeBenchmark.IntakeAsync(host.BaseAddress, options.Workers, duration, seed: 8);
        Log($"  {report.Intake.PerSecond:0.0}/s, {report.Intake.Failed} failed");

        Log($"orchestrations: submitting {options.Referrals} open referrals, {options.LoadWorkers} in flight");
        var (rate, references) = await OrchestrationBenchmark.OpenReferralsAsync(
            host.BaseAddress, options.ConnectionString, prefix + "Referrals", options.Referrals, options.LoadWorkers, seed: 100);
        report.Orchestrations = rate;
        Log($"  started {rate.StartedPerSecond:0.0}/s, first step recorded {rate.CompletedPerSecond:0.0}/s ({rate.Completed} of {rate.Submitted}, {rate.Failed} failed)");
        if (references.Count < options.Commands + options.DueTimers)
        {
            throw new InvalidOperationException($"Only {references.Count} referrals were created; the commands and the timer cohort need {options.Commands + options.DueTimers}.");
        }

        // The first steps' effects are still queued behind them: the round trips start once they are done.
        var quiet = await TaskHubQuiet.WaitAsync(options.ConnectionString, run + "hub", TimeSpan.FromMinutes(10));
        report.BacklogWorkedOff = quiet;
        Log($"  the task hub was quiet {quiet.TotalSeconds:0.0} s later");

        Log($"command round trips: accept, then first contact, on {options.Commands} referrals, {options.Workers} at a time");
        report.Commands = await OrchestrationBenchmark.CommandsAsync(host.BaseAddress, [.. references.Take(options.Commands)], options.Workers);
        Log($"  p50 {Samples.Ms(report.Commands.All.Latency.Percentile(50))} ms, p99 {Samples.Ms(report.Commands.All.Latency.Percentile(99))} ms, {report.Commands.All.Failed} failed");

        // Every referral the host holds is an open orchestration: the intake load's and the open ones.
        var open = report.Intake.Succeeded + references.Count;
        Log($"timer lag: {options.DueTimers} information reminders due within one minute, {open} open orchestrations");
        report.Lag = await OrchestrationBenchmark.TimerLagAsync(
            host.BaseAddress, [.. references.Skip(options.Commands).Take(options.DueTimers)], open, options.Workers, TimeSpan.FromSeconds(options.LagTimeoutSeconds));
        Log($"  p50 {Samples.Ms(report.Lag.Lag.Percentile(50))} ms, p99 {Samples.Ms(report.Lag.Lag.Percentile(99))} ms, {report.Lag.Missing} missing");

        report.HostPeakRssKiB = host.StatusKiB("VmHWM");
        Log($"host peak RSS {report.HostPeakRssKiB / 1024} MiB");
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
