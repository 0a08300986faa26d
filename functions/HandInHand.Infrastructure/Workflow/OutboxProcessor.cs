using HandInHand.Domain.Workflow;
using Microsoft.Extensions.Logging;

namespace HandInHand.Infrastructure.Workflow;

/// <summary>
/// Carries out the effects in referrals' outboxes, each at least once and each idempotently, and
/// removes them once done. Effects that act on other referrals (an allocation from the waiting
/// list) have their own outboxes drained in the same pass.
/// </summary>
public sealed partial class OutboxProcessor(
    ReferralWorkflowStore store,
    NotificationLog notifications,
    INotificationChannel channel,
    WaitingListIndex waitingList,
    AllocationService allocation,
    Retention.RetentionService retention,
    ILifecycleEvents lifecycleEvents,
    Reports.ReportProjection reports,
    TimeProvider clock,
    ILogger<OutboxProcessor> logger)
{
    /// <summary>
    /// Drains like <see cref="DrainAsync"/> but never throws for a failure: what is left stays in
    /// the outbox, and the dispatcher finishes it when the step's outbox row comes due. For callers
    /// whose own work (the step) is already committed.
    /// </summary>
    public async Task<bool> TryDrainAsync(string reference, CancellationToken cancellationToken = default)
    {
        try
        {
            await DrainAsync(reference, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogDrainDeferred(logger, reference, ex.GetType().Name);
            return false;
        }
    }

    /// <summary>Drains the outbox of <paramref name="reference"/>, and of any referral its effects changed, until all are empty.</summary>
    public async Task<int> DrainAsync(string reference, CancellationToken cancellationToken = default)
    {
        var pending = new Queue<string>([reference]);
        var done = 0;
        var rounds = 0;
        while (pending.TryDequeue(out var current))
        {
            // A bound against a cycle of effects that keep making effects: the dispatcher goes on later.
            if (++rounds > 100)
            {
                LogTooManyRounds(logger, reference);
                break;
            }

            var items = await store.ReadOutboxAsync(current, cancellationToken).ConfigureAwait(false);
            foreach (var item in items)
            {
                foreach (var touched in await CarryOutAsync(item, cancellationToken).ConfigureAwait(false))
                {
                    pending.Enqueue(touched);
                }

                await store.DeleteOutboxAsync(item, cancellationToken).ConfigureAwait(false);
                done++;
            }
        }

        return done;
    }

    private async Task<IReadOnlyList<string>> CarryOutAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        switch (item.Effect)
        {
            case Effect.Notify n:
                var notification = new DeliveredNotification(item.MessageId, item.Reference, n.Kind, n.Recipient.Role, n.Recipient.Id, clock.GetUtcNow());
                await notifications.RecordAsync(notification, cancellationToken).ConfigureAwait(false);
                await channel.DeliverAsync(notification, cancellationToken).ConfigureAwait(false);
                return [];
            case Effect.JoinWaitingList j:
                await waitingList.JoinAsync(j.Region, item.Reference, j.RiskLevel, j.ReceivedAt, item.CreatedAt, cancellationToken).ConfigureAwait(false);
                return [];
            case Effect.LeaveWaitingList l:
                await waitingList.LeaveAsync(l.Region, item.Reference, l.RiskLevel, l.ReceivedAt, cancellationToken).ConfigureAwait(false);
                return [];
            case Effect.AllocateAutomatically:
                return await allocation.AllocateAutomaticallyAsync(item.Reference, cancellationToken).ConfigureAwait(false);
            case Effect.AwaitRetentionReview a:
                await retention.AwaitReviewAsync(item.Reference, a.DueAt, cancellationToken).ConfigureAwait(false);
                return [];
            case Effect.EndRetentionReview:
                await retention.EndReviewAsync(item.Reference, cancellationToken).ConfigureAwait(false);
                return [];
            case Effect.ErasePersonalData:
                await retention.ErasePersonalDataAsync(item.Reference, cancellationToken).ConfigureAwait(false);
                return [];
            case Effect.RefreshReportFacts:
                await reports.RefreshAsync(item.Reference, cancellationToken).ConfigureAwait(false);
                return [];
            case Effect.ReleaseCaseload r:
                return await allocation.ReleaseAndOfferAsync(r.PractitionerId, item.Reference, cancellationToken).ConfigureAwait(false);
            case Effect.AnnounceStageChange a:
                await lifecycleEvents.PublishAsync(new StageChanged(item.MessageId, item.Reference, a.From, a.To, item.CreatedAt), cancellationToken).ConfigureAwait(false);
                return [];
            default:
                throw new InvalidOperationException($"No handler for effect {item.Effect.GetType().Name}.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Referral {Reference}: outbox left to the dispatcher ({Error})")]
    private static partial void LogDrainDeferred(ILogger logger, string reference, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Draining the outbox of {Reference} went on for too many rounds; the dispatcher continues later")]
    private static partial void LogTooManyRounds(ILogger logger, string reference);
}
