using System.Diagnostics;
using Azure.Data.Tables;
using HandInHand.Domain.Lifecycle;
using HandInHand.Host.Setup;
using HandInHand.Infrastructure.Referrals;
using HandInHand.Infrastructure.Storage;
using HandInHand.Infrastructure.Workflow;
using Microsoft.Extensions.Options;

namespace HandInHand.Benchmark;

/// <summary>What a tick costs with a given number of open referrals.</summary>
/// <param name="Idle">Ticks that find nothing due.</param>
/// <param name="BusyMs">One tick that fires <paramref name="BusyFired"/> due timers.</param>
/// <param name="PointRead">Baseline: single-entity reads of a state row, at the same size.</param>
/// <param name="PartitionQuery">
/// Baseline: one query of one index partition for rows due by the same time (none), the call a
/// tick makes once per partition. Azurite answers it by walking the partition, so its cost grows
/// with the rows in the index, where Table Storage seeks by row key.
/// </param>
internal sealed record TickCost(int OpenReferrals, Samples Idle, double BusyMs, int BusyFired, Samples PointRead, Samples PartitionQuery, int IndexRows);

/// <summary>Timer lag: from each timer's due time to its reminder being recorded.</summary>
internal sealed record TimerLag(int Timers, int Recorded, int OpenReferrals, Samples Lag, TimeSpan Drained);

/// <summary>Measures the dispatcher: the cost of a tick as referrals accumulate, and the lag of a minute's worth of timers all due at once.</summary>
internal static class TimerBenchmarks
{
    /// <summary>
    /// At <paramref name="clockAt"/> nothing is due: times <paramref name="repeats"/> such ticks;
    /// then, with <paramref name="busyDue"/> due at <paramref name="busyAt"/>, times the one tick that fires them.
    /// </summary>
    public static async Task<TickCost> TickCostAsync(Engine engine, int openReferrals, DateTimeOffset clockAt, DateTimeOffset busyAt, int busyDue, int repeats)
    {
        var dispatcher = engine.Get<Dispatcher>();
        var referrals = engine.Get<TableProvider>().Get(ReferralTables.Referrals);
        var timers = engine.Get<TableProvider>().Get(WorkflowTables.Timers);
        var upTo = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{clockAt.UtcTicks:D19}|~");
        var idle = new Samples();
        var reads = new Samples();
        var partition = new Samples();
        var random = new Random(openReferrals);
        engine.Clock.Set(clockAt);
        await dispatcher.TickAsync(); // warm
        for (var i = 0; i < repeats; i++)
        {
            var t = Stopwatch.GetTimestamp();
            var report = await dispatcher.TickAsync();
            idle.AddTicks(t);
            if (report.Due != 0)
            {
                throw new InvalidOperationException($"An idle tick found {report.Due} rows due: the benchmark's clock is wrong.");
            }

            var reference = new Domain.Referrals.ReferenceNumber("BM", 2026, random.Next(1, openReferrals + 1)).ToString();
            t = Stopwatch.GetTimestamp();
            _ = await referrals.GetEntityIfExistsAsync(reference, ReferralWorkflowStore.StateRow);
            reads.AddTicks(t);

            t = Stopwatch.GetTimestamp();
            await foreach (var _ in timers.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {"due-00"} and RowKey le {upTo}")))
            {
                throw new InvalidOperationException("The baseline partition query found a row due: the benchmark's clock is wrong.");
            }

            partition.AddTicks(t);
        }

        var indexRows = await engine.Get<TimerIndex>().CountAsync();

        engine.Clock.Set(busyAt);
        var busy = Stopwatch.StartNew();
        var fired = await dispatcher.TickAsync();
        busy.Stop();
        if (fired.Fired != busyDue)
        {
            throw new InvalidOperationException($"The busy tick fired {fired.Fired} of {busyDue} due timers ({fired}).");
        }

        return new TickCost(openReferrals, idle, busy.Elapsed.TotalMilliseconds, fired.Fired, reads, partition, indexRows);
    }

    /// <summary>
    /// Runs the host's dispatcher loop from just before <paramref name="windowStart"/> until every
    /// one of <paramref name="due"/> (reference → due time of its triage reminder) has its reminder
    /// recorded, or <paramref name="giveUpAfter"/> passes; then reads each reminder's record.
    /// </summary>
    public static async Task<TimerLag> LagAsync(Engine engine, IReadOnlyDictionary<string, DateTimeOffset> due, int openReferrals, DateTimeOffset windowStart, TimeSpan giveUpAfter)
    {
        var notifications = engine.Get<TableProvider>().Get(WorkflowTables.Notifications);
        var reminderKind = nameof(NotificationKind.TriageReminder);
        var loop = new DispatcherLoop(engine.Get<Dispatcher>(), engine.Get<IOptions<WorkflowOptions>>(), engine.Get<ILogger<DispatcherLoop>>());
        engine.Clock.Set(windowStart.AddSeconds(-2));
        var watch = Stopwatch.StartNew();
        await loop.StartAsync(CancellationToken.None);
        var recorded = 0;
        while (watch.Elapsed < giveUpAfter)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            recorded = 0;
            await foreach (var row in notifications.QueryAsync(TableClient.CreateQueryFilter($"Kind eq {reminderKind}"), ["PartitionKey"]))
            {
                // Only this cohort's reminders: the tick measurements fired reminders of their own.
                if (due.ContainsKey(row.PartitionKey))
                {
                    recorded++;
                }
            }

            Console.Error.WriteLine($"[bench] timer lag: {recorded}/{due.Count} reminders recorded after {watch.Elapsed.TotalSeconds:0} s");
            if (recorded >= due.Count)
            {
                break;
            }
        }

        var drained = watch.Elapsed;
        await loop.StopAsync(CancellationToken.None);
        loop.Dispose();

        var lag = new Samples();
        var found = 0;
        await foreach (var row in notifications.QueryAsync(TableClient.CreateQueryFilter($"Kind eq {reminderKind}")))
        {
            if (due.TryGetValue(row.PartitionKey, out var dueAt) && row.GetDateTimeOffset("DeliveredAt") is { } deliveredAt)
            {
                found++;
                lag.Add(deliveredAt - dueAt);
            }
        }

        return new TimerLag(due.Count, found, openReferrals, lag, drained);
    }
}
