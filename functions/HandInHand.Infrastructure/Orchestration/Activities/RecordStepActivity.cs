using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Workflow;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace HandInHand.Infrastructure.Orchestration.Activities;

/// <summary>
/// Records a decided step — the referral's state, its new history events and, when the step is
/// its caller's answer, the command's outcome — in one transaction; a step recorded before is left
/// alone. Returns the lifecycle settings as
/// configured now, for the orchestration's next decision: configuration is read here, never in
/// the orchestrator.
/// </summary>
public sealed class RecordStepActivity(ReferralWorkflowStore store, CommandOutcomes outcomes, IOptionsMonitor<LifecycleSettings> lifecycle) : TaskActivity<StepRecord, LifecycleSettings>
{
    public override async Task<LifecycleSettings> RunAsync(TaskActivityContext context, StepRecord input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await store.RecordStepAsync(input.Reference, input.FromVersion, input.State, input.Events, input.Answer is null ? null : CommandOutcomes.Row(input.Answer)).ConfigureAwait(false);
        if (input.Answer is not null)
        {
            outcomes.Wake(input.Answer);
        }

        return lifecycle.CurrentValue;
    }
}
