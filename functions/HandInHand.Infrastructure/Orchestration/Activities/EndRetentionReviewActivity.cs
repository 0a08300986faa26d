using HandInHand.Domain.Workflow;
using HandInHand.Infrastructure.Retention;

namespace HandInHand.Infrastructure.Orchestration.Activities;

/// <summary>Takes the referral out of the retention review queue; a row already gone is fine.</summary>
public sealed class EndRetentionReviewActivity(RetentionService retention) : EffectActivity<Effect.EndRetentionReview>
{
    protected override async Task<EffectResult> CarryOutAsync(EffectWork work, Effect.EndRetentionReview effect)
    {
        ArgumentNullException.ThrowIfNull(work);
        await retention.EndReviewAsync(work.Reference).ConfigureAwait(false);
        return EffectResult.None;
    }
}
