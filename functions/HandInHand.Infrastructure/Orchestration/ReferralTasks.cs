using HandInHand.Domain.Workflow;
using HandInHand.Infrastructure.Orchestration.Activities;

namespace HandInHand.Infrastructure.Orchestration;

/// <summary>
/// The orchestrator and every activity, by the name the orchestration calls it: what any host
/// registers, so the local host and the Functions app run the same classes under the same names.
/// </summary>
public static class ReferralTasks
{
    public static IReadOnlyDictionary<string, Type> Activities { get; } = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        [ReferralActivityNames.RecordStep] = typeof(RecordStepActivity),
        [ReferralActivityNames.RecordOutcome] = typeof(RecordOutcomeActivity),
        [ReferralActivityNames.ReadLastStep] = typeof(ReadLastStepActivity),
        [ReferralActivityNames.ReleaseReservation] = typeof(ReleaseReservationActivity),
        [nameof(Effect.Notify)] = typeof(NotifyActivity),
        [nameof(Effect.AllocateAutomatically)] = typeof(AllocateAutomaticallyActivity),
        [nameof(Effect.JoinWaitingList)] = typeof(JoinWaitingListActivity),
        [nameof(Effect.LeaveWaitingList)] = typeof(LeaveWaitingListActivity),
        [nameof(Effect.ReleaseCaseload)] = typeof(ReleaseCaseloadActivity),
        [nameof(Effect.AwaitRetentionReview)] = typeof(AwaitRetentionReviewActivity),
        [nameof(Effect.EndRetentionReview)] = typeof(EndRetentionReviewActivity),
        [nameof(Effect.ErasePersonalData)] = typeof(ErasePersonalDataActivity),
        [nameof(Effect.AnnounceStageChange)] = typeof(AnnounceStageChangeActivity),
        [nameof(Effect.RefreshProjections)] = typeof(RefreshProjectionsActivity),
    };
}
