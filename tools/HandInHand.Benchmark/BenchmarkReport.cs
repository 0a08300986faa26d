using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HandInHand.Benchmark;

/// <summary>Everything one run measured, as a Markdown table for people and JSON for tools.</summary>
internal sealed class BenchmarkReport
{
    public required BenchmarkOptions Options { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset FinishedAt { get; set; }

    public Throughput? RawInsert { get; set; }

    public Throughput? Intake { get; set; }

    public long HostRssAfterStartKiB { get; set; }

    public long HostPeakRssKiB { get; set; }

    public Throughput? Population { get; set; }

    public List<TickCost> Ticks { get; } = [];

    public IReadOnlyDictionary<string, DateTimeOffset> LagDue { get; set; } = new Dictionary<string, DateTimeOffset>();

    public TimerLag? Lag { get; set; }

    public ReportsResult Reports { get; set; } = ReportsBenchmark.NotYet();

    private double IntakeOverRaw => Intake!.PerSecond / RawInsert!.PerSecond;

    private static double IdleOverQuery(TickCost t) => t.Idle.Percentile(50) / t.PartitionQuery.Percentile(50);

    private double TickFlatness => Ticks[^1].Idle.Percentile(50) / Ticks[0].Idle.Percentile(50);

    public string Markdown()
    {
        static string F(double v, string format = "0.0") => double.IsNaN(v) ? "n/a" : v.ToString(format, CultureInfo.InvariantCulture);
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"## HandInHand benchmark ({StartedAt:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, Azurite in memory)");
        md.AppendLine();
        md.AppendLine("| measurement | result | baseline (same run) | ratio |");
        md.AppendLine("| --- | --- | --- | --- |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| intake, POST /api/referrals ({Options.Workers} in flight, {Options.IntakeSeconds} s) | {F(Intake!.PerSecond)}/s; p50 {Samples.Ms(Intake.Latency.Percentile(50))} ms, p99 {Samples.Ms(Intake.Latency.Percentile(99))} ms; {Intake.Failed} failed | raw single-entity insert: {F(RawInsert!.PerSecond)}/s; p50 {Samples.Ms(RawInsert.Latency.Percentile(50))} ms, p99 {Samples.Ms(RawInsert.Latency.Percentile(99))} ms | intake/raw = {F(IntakeOverRaw, "0.000")} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| host peak RSS under intake load (VmHWM) | {HostPeakRssKiB / 1024} MiB | RSS after start-up: {HostRssAfterStartKiB / 1024} MiB | {F((double)HostPeakRssKiB / HostRssAfterStartKiB, "0.00")} |");
        foreach (var t in Ticks)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| tick, {t.OpenReferrals:N0} open referrals ({t.IndexRows:N0} index rows) | idle p50 {Samples.Ms(t.Idle.Percentile(50))} ms, p99 {Samples.Ms(t.Idle.Percentile(99))} ms; firing {t.BusyFired} due: {Samples.Ms(t.BusyMs)} ms ({Samples.Ms(t.BusyMs / t.BusyFired)} ms/timer) | one index-partition query p50 {Samples.Ms(t.PartitionQuery.Percentile(50))} ms; point read p50 {Samples.Ms(t.PointRead.Percentile(50))} ms | idle/partition query = {F(IdleOverQuery(t), "0.00")}; idle/read = {F(t.Idle.Percentile(50) / t.PointRead.Percentile(50), "0.00")} |");
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"| tick flatness, {Ticks[^1].OpenReferrals:N0} vs {Ticks[0].OpenReferrals:N0} open referrals | idle p50 {F(TickFlatness, "0.00")}×; point read {F(Ticks[^1].PointRead.Percentile(50) / Ticks[0].PointRead.Percentile(50), "0.00")}× | idle/partition query, largest vs smallest | {F(IdleOverQuery(Ticks[^1]) / IdleOverQuery(Ticks[0]), "0.00")}× |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| timer lag, due → reminder recorded ({Lag!.Timers:N0} due in one minute, {Lag.OpenReferrals:N0} open) | p50 {F(Lag.Lag.Percentile(50) / 1000, "0.0")} s, p99 {F(Lag.Lag.Percentile(99) / 1000, "0.0")} s, max {F(Lag.Lag.Percentile(100) / 1000, "0.0")} s; {Lag.Recorded:N0} recorded; worked off in {F(Lag.Drained.TotalSeconds, "0")} s | came due at {F(Lag.Timers / 60.0, "0")}/s for one minute | |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| loading {Population!.Succeeded:N0} referrals through the storage layer ($batch) | {F(Population.Elapsed.TotalSeconds, "0")} s ({F(Population.PerSecond, "0")}/s) | | |");
        if (Reports.Timings.Count == 0)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| reports over {Options.Referrals:N0} referrals | {Reports.Status} | | |");
        }
        else
        {
            // The seeding, each range's whole report set, and the spread of the single-report CSV exports.
            var single = Reports.Timings.Where(r => !r.Name.Contains(':', StringComparison.Ordinal) && r.Name != "seed projections").ToList();
            foreach (var r in Reports.Timings.Where(r => r.Name == "seed projections" || r.Name.StartsWith("all reports", StringComparison.Ordinal)))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {(r.Name == "seed projections" ? "seeding report figures" : r.Name)}, {Options.Referrals:N0} referrals | {F(r.Milliseconds)} ms | | |");
            }

            if (single.Count > 0)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| each of {single.Count / 4} reports as CSV (4 ranges) | {F(single.Min(r => r.Milliseconds))}–{F(single.Max(r => r.Milliseconds))} ms, median {F(single.Select(r => r.Milliseconds).Order().ElementAt(single.Count / 2))} ms | | |");
            }
        }

        return md.ToString();
    }

    public string Json()
    {
        static JsonNode? N(double v) => double.IsNaN(v) ? null : JsonValue.Create(Math.Round(v, 3));
        static JsonObject Rate(Throughput t) => new()
        {
            ["perSecond"] = N(t.PerSecond),
            ["p50Ms"] = N(t.Latency.Percentile(50)),
            ["p99Ms"] = N(t.Latency.Percentile(99)),
            ["succeeded"] = t.Succeeded,
            ["failed"] = t.Failed,
            ["seconds"] = N(t.Elapsed.TotalSeconds),
        };
        var json = new JsonObject
        {
            ["startedAt"] = StartedAt,
            ["finishedAt"] = FinishedAt,
            ["machine"] = new JsonObject { ["cores"] = Environment.ProcessorCount, ["os"] = Environment.OSVersion.ToString(), ["runtime"] = Environment.Version.ToString(), ["azurite"] = Environment.GetEnvironmentVariable("HANDINHAND_BENCH_AZURITE") },
            ["settings"] = JsonSerializer.SerializeToNode(Options with { ConnectionString = "(not recorded)" }, JsonSerializerOptions.Web),
            ["intake"] = Rate(Intake!),
            ["rawInsert"] = Rate(RawInsert!),
            ["intakeOverRaw"] = N(IntakeOverRaw),
            ["memory"] = new JsonObject { ["hostPeakRssKiB"] = HostPeakRssKiB, ["hostRssAfterStartKiB"] = HostRssAfterStartKiB },
            ["population"] = new JsonObject { ["referrals"] = Population!.Succeeded, ["seconds"] = N(Population.Elapsed.TotalSeconds), ["perSecond"] = N(Population.PerSecond) },
            ["ticks"] = new JsonArray([.. Ticks.Select(t => (JsonNode)new JsonObject
            {
                ["openReferrals"] = t.OpenReferrals,
                ["idleP50Ms"] = N(t.Idle.Percentile(50)),
                ["idleP99Ms"] = N(t.Idle.Percentile(99)),
                ["busyTickMs"] = N(t.BusyMs),
                ["busyFired"] = t.BusyFired,
                ["pointReadP50Ms"] = N(t.PointRead.Percentile(50)),
                ["partitionQueryP50Ms"] = N(t.PartitionQuery.Percentile(50)),
                ["indexRows"] = t.IndexRows,
            })]),
            ["tickFlatness"] = N(TickFlatness),
            ["timerLag"] = new JsonObject
            {
                ["timers"] = Lag!.Timers,
                ["recorded"] = Lag.Recorded,
                ["openReferrals"] = Lag.OpenReferrals,
                ["p50Ms"] = N(Lag.Lag.Percentile(50)),
                ["p99Ms"] = N(Lag.Lag.Percentile(99)),
                ["maxMs"] = N(Lag.Lag.Percentile(100)),
                ["workedOffSeconds"] = N(Lag.Drained.TotalSeconds),
            },
            ["reports"] = new JsonObject
            {
                ["status"] = Reports.Status,
                ["timings"] = new JsonArray([.. Reports.Timings.Select(r => (JsonNode)new JsonObject { ["name"] = r.Name, ["ms"] = N(r.Milliseconds), ["detail"] = r.Detail })]),
            },
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
