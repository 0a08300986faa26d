using HandInHand.Domain.Workflow;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Infrastructure.Orchestration.Activities;

/// <summary>Removes the referral from its region's waiting list; a row already gone is fine.</summary>
public sealed class LeaveWaitingListActivity(WaitingListIndex waitingList) : EffectActivity<Effect.LeaveWaitingList>
{
    protected override async Task<EffectResult> CarryOutAsync(EffectWork work, Effect.LeaveWaitingList effect)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(effect);
        await waitingList.LeaveAsync(effect.Region, work.Reference, effect.RiskLevel, effect.ReceivedAt).ConfigureAwait(false);
        return EffectResult.None;
    }
}
