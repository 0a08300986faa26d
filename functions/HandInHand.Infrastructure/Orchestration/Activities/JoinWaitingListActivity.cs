using HandInHand.Domain.Workflow;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Infrastructure.Orchestration.Activities;

/// <summary>Enters the referral in its region's waiting list: an upsert of its row, the same however often.</summary>
public sealed class JoinWaitingListActivity(WaitingListIndex waitingList) : EffectActivity<Effect.JoinWaitingList>
{
    protected override async Task<EffectResult> CarryOutAsync(EffectWork work, Effect.JoinWaitingList effect)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(effect);
        await waitingList.JoinAsync(effect.Region, work.Reference, effect.RiskLevel, effect.ReceivedAt, work.At).ConfigureAwait(false);
        return EffectResult.None;
    }
}
