using System.Diagnostics;
using System.Globalization;
using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Referrals;
using HandInHand.Infrastructure.Reports;

namespace HandInHand.Host.Reports;

/// <summary>One timing: what was measured and how long it took.</summary>
public sealed record ReportTiming(string Name, TimeSpan Elapsed, string Detail);

/// <summary>
/// <c>HandInHand.Host report-benchmark [referrals]</c> (default 100000): seeds the report
/// projections of that many synthetic referrals, spread over three years, straight through the
/// storage layer in batches (their per-date contribution rows, facts rows and daily totals,
/// computed by the same <see cref="Domain.Reports.ReportFacts"/> as live referrals), then times
/// each report over several ranges. Run it against a storage account of its own (a fresh Azurite,
/// or <c>Storage:TablePrefix</c>): the synthetic figures stay there.
/// </summary>
public static class ReportBenchmark
{
    public const string Name = "report-benchmark";

    public static async Task<bool> TryRunAsync(string[] args, WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(app);
        var at = Array.IndexOf(args, Name);
        if (at < 0)
        {
            return false;
        }

        var count = at + 1 < args.Length && int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 100_000;
        foreach (var name in Setup.StorageInitializer.TableNames)
        {
            await app.Services.GetRequiredService<Infrastructure.Storage.TableProvider>().Get(name).CreateIfNotExistsAsync();
        }

        foreach (var timing in await RunAsync(app.Services, count, new DateOnly(2026, 11, 23)))
        {
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{timing.Name,-48} {timing.Elapsed.TotalMilliseconds,10:0.0} ms  {timing.Detail}"));
        }

        return true;
    }

    /// <summary>Seeds <paramref name="referrals"/> synthetic referrals received in the three years to <paramref name="today"/> and times the reports.</summary>
    public static async Task<IReadOnlyList<ReportTiming>> RunAsync(IServiceProvider services, int referrals, DateOnly today, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var projection = services.GetRequiredService<ReportProjection>();
        var query = services.GetRequiredService<ReportQuery>();
        var timings = new List<ReportTiming>();
        var clock = Stopwatch.StartNew();
        var states = Synthesise(referrals, today);
        await projection.SeedAsync(states, parallelism: 8, cancellationToken).ConfigureAwait(false);
        timings.Add(new("seed projections", clock.Elapsed, $"{referrals} referrals"));

        (string Label, ReportRange Range)[] ranges =
        [
            ("three years, both services", new ReportRange(today.AddYears(-3), today, ReportRange.AllServices)),
            ("twelve months, both services", new ReportRange(today.AddYears(-1).AddDays(1), today, ReportRange.AllServices)),
            ("twelve months, Hand in Hand", new ReportRange(today.AddYears(-1).AddDays(1), today, "hand-in-hand")),
            ("one month, Trusted Relationships", new ReportRange(today.AddMonths(-1).AddDays(1), today, "trusted-relationships")),
        ];
        foreach (var (label, range) in ranges)
        {
            clock.Restart();
            var set = await query.RunAsync(range, suppress: true, cancellationToken).ConfigureAwait(false);
            var elapsed = clock.Elapsed;
            timings.Add(new($"all reports: {label}", elapsed, $"received {set.Received.Display}"));
            foreach (var report in set.Breakdowns.Select(b => b.Id).Prepend("summary").Append("wheel-means").Append("waiting-list-size"))
            {
                clock.Restart();
                var one = await query.RunAsync(range, suppress: true, cancellationToken).ConfigureAwait(false);
                var csv = ReportCsv.Write(one, report);
                timings.Add(new($"  {report}", clock.Elapsed, $"{csv.Count(c => c == '\n') - 1} CSV lines"));
            }
        }

        return timings;
    }

    /// <summary>Referrals with plausible shapes: most supported and closed, some declined or waiting, from a fixed seed.</summary>
    private static List<(string Reference, ReferralState State)> Synthesise(int count, DateOnly today)
    {
        var random = new Random(20261123);
        var domains = LifecycleSettings.DefaultMyWheelDomains;
        var start = new DateTimeOffset(today.AddYears(-3).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var span = TimeSpan.FromDays(365 * 3);
        var list = new List<(string, ReferralState)>(count);
        for (var i = 0; i < count; i++)
        {
            var received = start + span * random.NextDouble();
            var pathway = random.Next(5) == 0 ? ServicePathway.TrustedRelationships : ServicePathway.HandInHand;
            var risk = (RiskLevel)random.Next(3);
            var state = new ReferralState
            {
                Stage = Stage.AwaitingTriage,
                Reference = string.Create(CultureInfo.InvariantCulture, $"BM-{received.Year}-{i:D6}"),
                Pathway = pathway,
                Region = "Selby",
                RiskAtReferral = risk,
                CurrentRisk = risk,
                ReceivedAt = received,
                Profile = new ReferralProfile(Pick(random, Choices.ReferrerTypes).Code, Pick(random, Choices.Genders).Code, Pick(random, Choices.Ethnicities).Code),
                AgeBand = Domain.Reports.ReportCounters.AgeBands[random.Next(Domain.Reports.ReportCounters.AgeBands.Count)].Band,
            };
            var fate = random.Next(10);
            if (fate < 3)
            {
                state = state with { Stage = Stage.Declined, ClosedAt = received.AddDays(1), NotTaken = random.Next(2) == 0 ? NotTakenReason.Capacity : NotTakenReason.Criteria };
            }
            else if (fate == 3)
            {
                state = state with { Stage = Stage.WaitingList, FirstWaitingAt = received.AddDays(1) };
            }
            else
            {
                var contacted = received.AddHours(random.NextDouble() * 60);
                var first = domains.ToDictionary(d => d, _ => random.Next(1, 10));
                var last = domains.ToDictionary(d => d, d => Math.Clamp(first[d] + random.Next(-1, 3), 1, 10));
                var waited = fate == 4;
                state = state with
                {
                    Stage = Stage.Closed,
                    FirstContactAt = contacted,
                    Consent = true,
                    FirstWaitingAt = waited ? received.AddDays(1) : null,
                    LeftWaitingAt = waited ? received.AddDays(1 + random.Next(60)) : null,
                    RiskAtAllocation = risk,
                    RiskAtClosure = (RiskLevel)Math.Max(0, (int)risk - random.Next(2)),
                    FirstMyWheel = first,
                    LatestMyWheel = last,
                    MyWheelCount = 2,
                    ClosedAt = contacted.AddDays(30 + random.Next(200)),
                };
            }

            list.Add((state.Reference, state));
        }

        return list;
    }

    private static Choice Pick(Random random, IReadOnlyList<Choice> choices) => choices[random.Next(choices.Count)];
}
