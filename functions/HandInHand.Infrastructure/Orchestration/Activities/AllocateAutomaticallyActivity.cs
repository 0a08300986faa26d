using HandInHand.Domain.Lifecycle;
using HandInHand.Domain.Workflow;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Infrastructure.Orchestration.Activities;

/// <summary>
/// Finds an accepted referral a practitioner with capacity and takes the place, or finds none:
/// the referral's orchestration then allocates it, or puts it on the waiting list. A repeat
/// finds the place it took before.
/// </summary>
public sealed class AllocateAutomaticallyActivity(AllocationService allocation) : EffectActivity<Effect.AllocateAutomatically>
{
    protected override async Task<EffectResult> CarryOutAsync(EffectWork work, Effect.AllocateAutomatically effect)
    {
        ArgumentNullException.ThrowIfNull(work);
        return await allocation.ChooseAsync(work.Reference).ConfigureAwait(false) switch
        {
            AllocationChoice.Practitioner chosen => new EffectResult([new ReferralCommand.Allocate(Actor.System, work.At, chosen.PractitionerId, Manual: false)], []),
            var choice when choice == AllocationChoice.WaitingList => new EffectResult([new ReferralCommand.PlaceOnWaitingList(Actor.System, work.At)], []),
            _ => EffectResult.None,
        };
    }
}
