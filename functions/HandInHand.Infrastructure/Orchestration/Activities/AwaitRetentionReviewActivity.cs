using HandInHand.Domain.Workflow;
using HandInHand.Infrastructure.Retention;

namespace HandInHand.Infrastructure.Orchestration.Activities;

/// <summary>Enters the referral in the manager's retention review queue: an upsert, the same however often.</summary>
public sealed class AwaitRetentionReviewActivity(RetentionService retention) : EffectActivity<Effect.AwaitRetentionReview>
{
    protected override async Task<EffectResult> CarryOutAsync(EffectWork work, Effect.AwaitRetentionReview effect)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(effect);
        await retention.AwaitReviewAsync(work.Reference, effect.DueAt).ConfigureAwait(false);
        return EffectResult.None;
    }
}
