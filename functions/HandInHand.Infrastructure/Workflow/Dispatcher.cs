using HandInHand.Domain.Lifecycle;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HandInHand.Infrastructure.Workflow;

/// <summary>What one tick did.</summary>
public sealed record TickReport(int Due, int Fired, int Drained, int Stale, int Skipped, int Failed);

/// <summary>
/// Fires due timers and drains outboxes left behind. One tick reads only the index rows that are
/// due, so its cost follows the work due, not the number of open referrals. Any number of
/// dispatchers may tick at once: each row is leased before it is worked, and even a row worked
/// twice fires its timer once, because the decider ignores a timer the referral no longer holds.
/// </summary>
public sealed partial class Dispatcher(
    TimerIndex index,
    ReferralWorkflowStore store,
    ReferralWorkflow workflow,
    OutboxProcessor outbox,
    TimeProvider clock,
    IOptions<WorkflowOptions> options,
    ILogger<Dispatcher> logger)
{
    public async Task<TickReport> TickAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var settings = options.Value;
        var due = await index.QueryDueAsync(now, settings.TickBatch, cancellationToken).ConfigureAwait(false);
        var counts = new int[5];

        // Referrals are worked side by side; the rows of one referral one after another, so that
        // its steps do not race each other. A referral's rows share one index partition, which the
        // query reads in due order, and grouping keeps that order.
        var byReferral = due.GroupBy(e => e.Reference, StringComparer.Ordinal);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, settings.TickParallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(byReferral, parallel, async (rows, token) =>
        {
            foreach (var candidate in rows)
            {
                Interlocked.Increment(ref counts[(int)await LeaseAndWorkAsync(candidate, now, settings, token).ConfigureAwait(false)]);
            }
        }).ConfigureAwait(false);

        var report = new TickReport(due.Count, counts[(int)Outcome.Fired], counts[(int)Outcome.Drained], counts[(int)Outcome.Stale], counts[(int)Outcome.Skipped], counts[(int)Outcome.Failed]);
        if (due.Count > 0)
        {
            LogTick(logger, report.Due, report.Fired, report.Drained, report.Stale, report.Skipped, report.Failed);
        }

        return report;
    }

    private async Task<Outcome> LeaseAndWorkAsync(DueEntry candidate, DateTimeOffset now, WorkflowOptions settings, CancellationToken cancellationToken)
    {
        var entry = await index.TryLeaseAsync(candidate, now, settings.Lease, cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            return Outcome.Skipped;
        }

        try
        {
            var outcome = await WorkAsync(entry, now, settings, cancellationToken).ConfigureAwait(false);
            return outcome == Outcome.Waiting ? Outcome.Skipped : outcome;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The lease runs out and a later tick tries again; the failure is logged without data.
            LogFailed(logger, entry.Reference, entry.Kind, ex.GetType().Name);
            return Outcome.Failed;
        }
    }

    private async Task<Outcome> WorkAsync(DueEntry entry, DateTimeOffset now, WorkflowOptions settings, CancellationToken cancellationToken)
    {
        var loaded = await store.LoadAsync(entry.Reference, cancellationToken).ConfigureAwait(false);
        if (loaded is null || loaded.Version < entry.Version)
        {
            // The step that wrote this row has not landed. Within the grace period it may still;
            // after it, it never will, and the row is stale.
            if (now - entry.CreatedAt <= settings.CommitGrace)
            {
                return Outcome.Waiting;
            }

            await index.DeleteAsync(entry, cancellationToken).ConfigureAwait(false);
            return Outcome.Stale;
        }

        var result = Outcome.Drained;
        if (entry.Kind != TimerIndex.OutboxKind)
        {
            var kind = Enum.Parse<TimerKind>(entry.Kind);
            var outcome = await workflow.ExecuteAsync(entry.Reference, new ReferralCommand.FireTimer(Actor.System, now, kind, entry.DueAt), cancellationToken: cancellationToken).ConfigureAwait(false);
            result = outcome.Events.Count > 0 ? Outcome.Fired : Outcome.Stale;
        }

        await outbox.DrainAsync(entry.Reference, cancellationToken).ConfigureAwait(false);
        await index.DeleteAsync(entry, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private enum Outcome
    {
        Fired,
        Drained,
        Stale,
        Skipped,
        Failed,
        Waiting,
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tick: {Due} due, {Fired} fired, {Drained} drained, {Stale} stale, {Skipped} skipped, {Failed} failed")]
    private static partial void LogTick(ILogger logger, int due, int fired, int drained, int stale, int skipped, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tick could not work {Reference} {Kind}: {Error}")]
    private static partial void LogFailed(ILogger logger, string reference, string kind, string error);
}
