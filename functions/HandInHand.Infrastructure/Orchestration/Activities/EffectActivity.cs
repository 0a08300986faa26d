using HandInHand.Domain.Workflow;
using Microsoft.DurableTask;

namespace HandInHand.Infrastructure.Orchestration.Activities;

/// <summary>
/// An activity that carries out one kind of effect. Each may run more than once for the same
/// effect (a crash after the work, before the orchestration heard of it), so each is idempotent
/// by the effect's (reference, version, index).
/// </summary>
public abstract class EffectActivity<TEffect> : ReferralActivity<EffectWork, EffectResult>
    where TEffect : Effect
{
    protected sealed override async Task<EffectResult> WorkAsync(TaskActivityContext context, EffectWork input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var effect = input.Effect as TEffect
            ?? throw new InvalidOperationException($"The {typeof(TEffect).Name} activity was given a {input.Effect.GetType().Name}.");
        return await CarryOutAsync(input, effect).ConfigureAwait(false);
    }

    protected abstract Task<EffectResult> CarryOutAsync(EffectWork work, TEffect effect);
}
