using HandInHand.Domain.Workflow;
using HandInHand.Infrastructure.Workflow;

namespace HandInHand.Infrastructure.Orchestration.Activities;

/// <summary>
/// Publishes the stage change for partner systems, with the effect's id as the message id: the
/// broker's duplicate detection drops a repeat.
/// </summary>
public sealed class AnnounceStageChangeActivity(ILifecycleEvents lifecycleEvents) : EffectActivity<Effect.AnnounceStageChange>
{
    protected override async Task<EffectResult> CarryOutAsync(EffectWork work, Effect.AnnounceStageChange effect)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(effect);
        await lifecycleEvents.PublishAsync(new StageChanged(work.MessageId, work.Reference, effect.From, effect.To, work.At)).ConfigureAwait(false);
        return EffectResult.None;
    }
}
