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

    public ReportsResult Reports { get; set; } = ReportsBenchmark.NotYet();

    private double IntakeOverRaw => Intake!.PerSecond / RawInsert!.PerSecond;

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
            ["reports"] = new JsonObject
            {
                ["status"] = Reports.Status,
                ["timings"] = new JsonArray([.. Reports.Timings.Select(r => (JsonNode)new JsonObject { ["name"] = r.Name, ["ms"] = N(r.Milliseconds), ["detail"] = r.Detail })]),
            },
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
