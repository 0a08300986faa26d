using HandInHand.Domain.Workflow;
using HandInHand.Infrastructure.Retention;

namespace HandInHand.Infrastructure.Orchestration.Activities;

/// <summary>Removes the referral's personal data outside its state; erasing what is already erased changes nothing.</summary>
public sealed class ErasePersonalDataActivity(RetentionService retention) : EffectActivity<Effect.ErasePersonalData>
{
    protected override async Task<EffectResult> CarryOutAsync(EffectWork work, Effect.ErasePersonalData effect)
    {
        ArgumentNullException.ThrowIfNull(work);
        await retention.ErasePersonalDataAsync(work.Reference).ConfigureAwait(false);
        return EffectResult.None;
    }
}
