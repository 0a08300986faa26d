using HandInHand.Domain.Lifecycle;
using HandInHand.Infrastructure.Workflow;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace HandInHand.Infrastructure.Orchestration.Activities;

/// <summary>
/// Records a decided step — the referral's state and its new history events — in one
/// transaction; a step recorded before is left alone, and a different step found recorded from
/// the same version (or, for a run that fell behind, the store's last step) is handed back to the
/// orchestration. Returns the lifecycle settings as
/// configured now, for the orchestration's next decision: configuration is read here, never in
/// the orchestrator.
/// </summary>
public sealed class RecordStepActivity(ReferralWorkflowStore store, IOptionsMonitor<LifecycleSettings> lifecycle) : ReferralActivity<StepRecord, StepRecorded>
{
    protected override async Task<StepRecorded> WorkAsync(TaskActivityContext context, StepRecord input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var recorded = await store.RecordStepAsync(input.Reference, input.FromVersion, input.State, input.Events, input.CommandId).ConfigureAwait(false);
        return new StepRecorded(lifecycle.CurrentValue, recorded.Instead);
    }
}
