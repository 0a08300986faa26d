using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HandInHand.Benchmark;

/// <summary>Everything one run measured, as a Markdown table for people (issue 16's figures and goals) and JSON for tools.</summary>
internal sealed class BenchmarkReport
{
    /// <summary>Issue 16's goals.</summary>
    private const double IntakeOverRawGoal = 0.25;
    private const double CommandP99GoalMs = 1000;
    private const double LagP99GoalMs = 2000;
    private const double PeakRssGoalMegabytes = 250;

    public required BenchmarkOptions Options { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset FinishedAt { get; set; }

    public Throughput? RawInsert { get; set; }

    public Throughput? PointRead { get; set; }

    public Throughput? Intake { get; set; }

    public OrchestrationRate? Orchestrations { get; set; }

    /// <summary>How long after the last first step the task hub had worked off the first steps' effects (the round trips start then).</summary>
    public TimeSpan BacklogWorkedOff { get; set; }

    public RoundTrips? Commands { get; set; }

    public TimerLag? Lag { get; set; }

    public long HostRssAfterStartKiB { get; set; }

    public long HostPeakRssKiB { get; set; }

    public ReportsResult Reports { get; set; } = ReportsBenchmark.NotYet();

    private double IntakeOverRaw => Intake!.PerSecond / RawInsert!.PerSecond;

    private double PeakRssMegabytes => HostPeakRssKiB * 1024 / 1e6;

    public string Markdown()
    {
        static string F(double v, string format = "0.0") => double.IsNaN(v) ? "n/a" : v.ToString(format, CultureInfo.InvariantCulture);
        static string P(Samples s) => $"p50 {Samples.Ms(s.Percentile(50))} ms, p99 {Samples.Ms(s.Percentile(99))} ms";
        static string Goal(bool met) => met ? "met" : "**missed**";
        var o = Orchestrations!;
        var c = Commands!;
        var lag = Lag!;
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"## HandInHand benchmark, orchestration engine ({StartedAt:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, Azurite in memory)");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Sizes: {Options.Referrals:N0} open referrals, {Options.DueTimers:N0} timers due within one minute, {Options.Commands:N0} referrals accepted and contacted, {Options.IntakeSeconds} s of intake.");
        if (Options.HostSettings.Count > 0)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Host settings added: {string.Join(", ", Options.HostSettings.Select(h => $"`{h.Key}={h.Value}`"))}.");
        }

        md.AppendLine();
        md.AppendLine("| figure | result | baseline (same run) | ratio | goal |");
        md.AppendLine("| --- | --- | --- | --- | --- |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| intake, POST /api/referrals ({Options.Workers} in flight, {Options.IntakeSeconds} s) | {F(Intake!.PerSecond)}/s; {P(Intake.Latency)}; {Intake.Failed} failed | raw single-entity add (`TableClient`): {F(RawInsert!.PerSecond)}/s; {P(RawInsert.Latency)} | intake/raw = {F(IntakeOverRaw, "0.000")} | ≥ {F(IntakeOverRawGoal, "0.00")}: {Goal(IntakeOverRaw >= IntakeOverRawGoal)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| orchestrations started and completed (first step recorded), {o.Submitted:N0} referrals, {Options.LoadWorkers} in flight | started {F(o.StartedPerSecond)}/s ({o.Started:N0} in {F(o.StartedIn.TotalSeconds)} s; 201 {P(o.SubmitLatency)}); completed {F(o.CompletedPerSecond)}/s ({o.Completed:N0} in {F(o.CompletedIn.TotalSeconds)} s); {o.Failed} failed; their effects worked off {F(BacklogWorkedOff.TotalSeconds)} s later | raw single-entity add: {F(RawInsert.PerSecond)}/s | completed/raw = {F(o.CompletedPerSecond / RawInsert.PerSecond, "0.000")} | measured |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| command round trip at the client (accept, then first contact, on {Options.Commands:N0} referrals, {Options.Workers} at a time) | {P(c.All.Latency)}; accept {P(c.Accept.Latency)}; first contact {P(c.FirstContact.Latency)}; {c.All.Failed} failed ({c.Pending} answered 202) | point read (`TableClient`): {P(PointRead!.Latency)} | p50/read = {F(c.All.Latency.Percentile(50) / PointRead.Latency.Percentile(50), "0.0")} | p99 ≤ 1 s: {Goal(c.All.Latency.Percentile(99) <= CommandP99GoalMs)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| timer lag, due → notification recorded ({lag.Cohort:N0} due within {F(lag.DueSpread.TotalSeconds)} s, {lag.OpenReferrals:N0} open orchestrations) | {P(lag.Lag)}, max {Samples.Ms(lag.Lag.Percentile(100))} ms; {lag.Recorded:N0} recorded, {lag.Missing} missing; worked off {F(lag.WorkedOffIn.TotalSeconds)} s after the first fell due | | | p99 ≤ 2 s: {Goal(lag.Missing == 0 && lag.Lag.Percentile(99) <= LagP99GoalMs)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| host peak RSS across the run (VmHWM) | {F(PeakRssMegabytes)} MB ({HostPeakRssKiB / 1024} MiB) | RSS after start-up: {HostRssAfterStartKiB / 1024} MiB | {F((double)HostPeakRssKiB / HostRssAfterStartKiB, "0.00")} | ≤ 250 MB: {Goal(PeakRssMegabytes <= PeakRssGoalMegabytes)} |");
        if (Reports.Timings.Count == 0)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| reports over {Options.Referrals:N0} referrals | {Reports.Status} | | | |");
        }
        else
        {
            // The seeding, each range's whole report set, and the spread of the single-report CSV exports.
            var single = Reports.Timings.Where(r => !r.Name.Contains(':', StringComparison.Ordinal) && r.Name != "seed projections").ToList();
            foreach (var r in Reports.Timings.Where(r => r.Name == "seed projections" || r.Name.StartsWith("all reports", StringComparison.Ordinal)))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {(r.Name == "seed projections" ? "seeding report figures" : r.Name)}, {Options.Referrals:N0} referrals | {F(r.Milliseconds)} ms | | | |");
            }

            if (single.Count > 0)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| each of {single.Count / 4} reports as CSV (4 ranges) | {F(single.Min(r => r.Milliseconds))}–{F(single.Max(r => r.Milliseconds))} ms, median {F(single.Select(r => r.Milliseconds).Order().ElementAt(single.Count / 2))} ms | | | |");
            }
        }

        return md.ToString();
    }

    public string Json()
    {
        static JsonNode? N(double v) => double.IsNaN(v) ? null : JsonValue.Create(Math.Round(v, 3));
        static JsonObject Spread(Samples s) => new()
        {
            ["p50Ms"] = N(s.Percentile(50)),
            ["p99Ms"] = N(s.Percentile(99)),
            ["maxMs"] = N(s.Percentile(100)),
            ["count"] = s.Count,
        };
        static JsonObject Rate(Throughput t) => new()
        {
            ["perSecond"] = N(t.PerSecond),
            ["p50Ms"] = N(t.Latency.Percentile(50)),
            ["p99Ms"] = N(t.Latency.Percentile(99)),
            ["succeeded"] = t.Succeeded,
            ["failed"] = t.Failed,
            ["seconds"] = N(t.Elapsed.TotalSeconds),
        };
        var o = Orchestrations!;
        var json = new JsonObject
        {
            ["startedAt"] = StartedAt,
            ["finishedAt"] = FinishedAt,
            ["machine"] = new JsonObject { ["cores"] = Environment.ProcessorCount, ["os"] = Environment.OSVersion.ToString(), ["runtime"] = Environment.Version.ToString(), ["azurite"] = Environment.GetEnvironmentVariable("HANDINHAND_BENCH_AZURITE") },
            ["settings"] = JsonSerializer.SerializeToNode(Options with { ConnectionString = "(not recorded)" }, JsonSerializerOptions.Web),
            ["intake"] = Rate(Intake!),
            ["rawInsert"] = Rate(RawInsert!),
            ["pointRead"] = Rate(PointRead!),
            ["intakeOverRaw"] = N(IntakeOverRaw),
            ["orchestrations"] = new JsonObject
            {
                ["submitted"] = o.Submitted,
                ["started"] = o.Started,
                ["completed"] = o.Completed,
                ["failed"] = o.Failed,
                ["startedPerSecond"] = N(o.StartedPerSecond),
                ["completedPerSecond"] = N(o.CompletedPerSecond),
                ["startedSeconds"] = N(o.StartedIn.TotalSeconds),
                ["completedSeconds"] = N(o.CompletedIn.TotalSeconds),
                ["submit"] = Spread(o.SubmitLatency),
                ["effectsWorkedOffSeconds"] = N(BacklogWorkedOff.TotalSeconds),
            },
            ["commands"] = new JsonObject
            {
                ["all"] = Rate(Commands!.All),
                ["accept"] = Rate(Commands.Accept),
                ["firstContact"] = Rate(Commands.FirstContact),
                ["answered202"] = Commands.Pending,
            },
            ["timerLag"] = new JsonObject
            {
                ["cohort"] = Lag!.Cohort,
                ["recorded"] = Lag.Recorded,
                ["missing"] = Lag.Missing,
                ["openOrchestrations"] = Lag.OpenReferrals,
                ["dueSpreadSeconds"] = N(Lag.DueSpread.TotalSeconds),
                ["workedOffSeconds"] = N(Lag.WorkedOffIn.TotalSeconds),
                ["lag"] = Spread(Lag.Lag),
            },
            ["memory"] = new JsonObject { ["hostPeakRssKiB"] = HostPeakRssKiB, ["hostRssAfterStartKiB"] = HostRssAfterStartKiB },
            ["reports"] = new JsonObject
            {
                ["status"] = Reports.Status,
                ["timings"] = new JsonArray([.. Reports.Timings.Select(r => (JsonNode)new JsonObject { ["name"] = r.Name, ["ms"] = N(r.Milliseconds), ["detail"] = r.Detail })]),
            },
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
