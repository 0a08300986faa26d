using HandInHand.Domain.Workflow;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Infrastructure.Orchestration.Activities;

/// <summary>
/// Frees the practitioner's place this referral held and takes their free places for the waiting
/// list; the orchestration offers each to its referral. A repeat frees nothing more and finds the
/// places it took before.
/// </summary>
public sealed class ReleaseCaseloadActivity(AllocationService allocation) : EffectActivity<Effect.ReleaseCaseload>
{
    protected override async Task<EffectResult> CarryOutAsync(EffectWork work, Effect.ReleaseCaseload effect)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(effect);
        return new EffectResult([], await allocation.ReleaseAndOfferAsync(effect.PractitionerId, work.Reference).ConfigureAwait(false));
    }
}
